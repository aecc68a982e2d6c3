"""Specific reasons extraction refuses a page; each boundary turns them into its own signal."""


class ExtractError(Exception):
    """Base class: `reason` is the short code stored in `fetch_errors.error`."""

    reason = "extract_error"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.reason}: {detail}" if detail else self.reason)
        self.detail = detail


class NotHtml(ExtractError):
    reason = "not_html"


class EmptyPage(ExtractError):
    reason = "empty_page"


class BrokenDocument(ExtractError):
    reason = "broken_document"
