"""Custom NLU components registered with Rasa's default recipe.

Importing them (Rasa does, when it loads the model) also removes a cost Rasa pays on every call of a
custom action: bot/rasa_speedups.py.
"""

from bot import rasa_speedups

rasa_speedups.install()
