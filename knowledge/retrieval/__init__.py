"""Retrieval that reads filings like an analyst: statements, figures, periods, companies.

analyse(question) -> QueryAnalysis          (knowledge.retrieval.query)
page_context(page_text) -> PageContext      (knowledge.retrieval.pages)
profile_document(title, pages) -> DocumentProfile (knowledge.retrieval.profile)
document_priors(analysis, profiles)         (knowledge.retrieval.routing)
pool_pages / rank_pages / page_hits         (knowledge.retrieval.fusion)
"""
