"""Concept practice: concept questions answered as cards, graded, rated and scheduled again.

`models` holds each answer (`ConceptReview`); `grading` judges an answer against a question's
concept spec without a database; `service` builds the deck, stores answers and ratings and
works out when each card is due. The pages in `app.pages.concepts` render these.
"""
