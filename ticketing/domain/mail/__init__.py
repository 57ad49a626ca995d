"""Letters to the project's and the Union's mailboxes (§4.1–4.3, §4.7, §6.1–6.3), as pure functions.

Parsing and decoding (``letters``), HTML to readable text (``html_text``), auto-replies and
bounces (``auto``), threading and quoted text (``threads``), who wrote and what §4.1.1 asks
for (``requester``), registration cards and their incoming numbers (``cards``), and the reply
letter itself (``compose``). No I/O: the worker hands in bytes and gets decisions back.
"""
