"""Custom NLU components registered with Rasa's default recipe.

Importing them (Rasa does, when it loads the model) also removes a cost Rasa pays on every call of a
custom action: bot/rasa_speedups.py; and masks e-mails and logins in every log line of the Rasa server
from then on (procedure/personal_data.py, 152-ФЗ): Rasa's DEBUG log prints the slots («email: …»).
"""

from bot import rasa_speedups
from procedure.personal_data import install_log_masking

rasa_speedups.install()
install_log_masking()
