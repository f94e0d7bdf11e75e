"""Answers: turn retrieved passages into a cited reply, extractively or with a chat model."""
