"""The scoring core: questionnaire model and loader, the engine, the bulk path, recommendations.

Pure Python: imports neither Streamlit nor the database.
"""

from scoring.engine import AnswerError, Result, score_assessment
from scoring.loader import QuestionnaireError, load_bundled, load_questionnaire

__all__ = [
    "AnswerError",
    "QuestionnaireError",
    "Result",
    "load_bundled",
    "load_questionnaire",
    "score_assessment",
]
