"""Code that runs inside the Rasa server (NLU components for Russian) and, in tools/, the content editors' tools."""
