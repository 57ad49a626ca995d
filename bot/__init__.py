"""Code that runs inside the Rasa server: NLU components for Russian."""
