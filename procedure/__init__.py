"""Rules of the procedure (the Order of 30.04.2020 and its «Порядок») that both environments apply.

Pure Python, compatible with Python 3.10: the Rasa server and the action server (``.venv-rasa``)
and the ticketing service (``.venv``) import the same code, so the chat, the console, the API
and the mail can never disagree:

- ``screening``: which messages are left without an answer (§4.7–4.9);
- ``ticket_numbers``: what a ticket number looks like and how a typed one is read;
- ``statuses``: which statuses are open, and each one's name for the requester and for staff;
- ``requesters``: roles (the mentor is «наставник», §5.8), question types, kinds of request, their names;
- ``request_kinds``: the kind of a request (§1.1) read from its words, for the chat-bot and the mail;
- ``published``: the scenario content as published by ``make publish`` (§5.3, §4.2.2.3), which the help
  page, the console and the bot serve until the next publish;
- ``personal_data``: e-mails and logins masked in every process's logs, the retention period (152-ФЗ);
- ``faq_themes``: the one parser of ``content/faq_themes.yml`` (titles, themes, the instruction mark);
- ``moscow``: Moscow time, in which deadlines are counted and times are shown.

Its dependencies (pymorphy3, lingua) are in both ``requirements/*.in``.
"""
