"""The PDF roadmap (reportlab): ``render_pdf(questionnaire, result, recommendations, profile, ...)``."""

from report.pdf import render_pdf

__all__ = ["render_pdf"]
