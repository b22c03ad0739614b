"""The analyst's review: decisions on findings, scores after review, sign-off, audit trail.

Import from the modules (`tools.review.service`, `.decisions`, `.review`, `.approval`,
`.guards`, `.audit`): the package itself loads nothing, so the roles the settings read
(`tools.review.roles`) cost no start-up time.

reviews = await document_reviews(kb, owner="alice", document_ids=[doc_id])
finding, review = await decide(kb, owner="alice", finding_id=12, verb="dismiss",
                               reason="policy text, not a transaction", user="alice")
review.score_line()   # "compliance 72 → 85 after review, risk 64 → 41"
"""
