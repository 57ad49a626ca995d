"""Entry points: the `python -m ticketing …` commands and the mail worker (README «Команды»)."""
