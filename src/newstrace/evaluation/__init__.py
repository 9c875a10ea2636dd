"""Evaluation: labelled corpora generated from real text, and the standard measures on them."""
