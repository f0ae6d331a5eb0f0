"""draftgen: template-driven drafts of speeches for Party-building meetings.

Pipeline (one module per stage): load → context → plan → render → check → export.
"""

__version__ = "0.1.0"
