"""Rules of the procedure (the Order of 30.04.2020 and its «Порядок») that both environments apply.

Pure Python, compatible with Python 3.10: the Rasa server (``.venv-rasa``) and the ticketing
service (``.venv``) import the same code, so the chat and the mail can never disagree.
Its dependencies (pymorphy3, lingua) are in both ``requirements/*.in``.
"""
