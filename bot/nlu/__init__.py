"""Custom NLU components registered with Rasa's default recipe."""
