"""rasa_sdk actions of the support bot: one module per conversation feature.

The action server imports every module here, so none of them does work at import.
"""
