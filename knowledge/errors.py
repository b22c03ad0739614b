"""Errors of the knowledge layer, each with a message a person can act on."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base of every error the knowledge layer raises on purpose."""


class IngestError(KnowledgeError):
    """A file could not be taken in; nothing of it was stored.

    The message is one line, names the file and says what to do about it.
    """


class UnsupportedFileError(IngestError):
    """The content is not one of the supported types (whatever the file name says)."""


class EncryptedFileError(IngestError):
    """The file needs a password we were not given."""


class DamagedFileError(IngestError):
    """The file is corrupt, truncated or not what it claims to be."""


class EmptyFileError(IngestError):
    """The file has no bytes, or no text at all."""


class NoTextLayerError(IngestError):
    """A PDF made of images only (a scan): OCR is not supported."""


class FileTooLargeError(IngestError):
    """The file is over the configured size limit."""


class UnsafeFileError(IngestError):
    """The file looks hostile (a zip bomb, an XML entity bomb)."""


class EmbeddingMismatchError(KnowledgeError):
    """The chunk table was built with another embedding model or dimension."""


class DocumentNotFoundError(KnowledgeError):
    """No document with that id (for this owner)."""
