"""Read a user's document (.docx, .md, .txt) or a generated Draft into numbered paragraphs for the checker.

Line numbers are the ones the user sees: for text files the file's line numbers, for .docx the paragraph
number (1-based, empty paragraphs included). Text encodings are detected, never guessed silently wrong:
UTF-8, UTF-8 with BOM, then GB18030 only if the result reads like Chinese text.
"""

from __future__ import annotations

import errno
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from .errors import InputError

if TYPE_CHECKING:  # models pulls in pydantic; `check` on a user's file has no need of it
    from .models import Draft

TEXT_SUFFIXES = (".md", ".markdown", ".txt")

# Size limits, generous for any real speech, small enough that a stray file cannot exhaust memory.
MB = 1024 * 1024
TEXT_LIMIT = 20 * MB  # a .md/.txt draft (the longest speeches are well under 1 MB)
DOCX_LIMIT = 50 * MB  # the .docx file itself (pictures included)
DOCX_UNPACKED_LIMIT = 200 * MB  # all its parts once unpacked: a zip bomb stops here
DOCX_XML_LIMIT = 50 * MB  # its XML parts once unpacked
YAML_LIMIT = 16 * MB  # a brief, an org config, a bank or rule file (a bank file of 20,000 entries is about 5 MB)
JSON_LIMIT = 20 * MB  # a .plan.json record


_READ_HINTS = {errno.EACCES: "没有读取权限，请检查文件权限", errno.EPERM: "没有读取权限，请检查文件权限", errno.ELOOP: "符号链接成环",
               errno.ENAMETOOLONG: "路径过长", errno.ENOTDIR: "路径中有一部分是文件而不是文件夹", errno.EIO: "磁盘读取错误"}


def _size_text(n: int) -> str:
    return f"{n // MB} MB" if n >= MB else f"{max(1, n // 1024)} KB"


def read_regular_file(path: str | Path, limit: int, what: str = "文件") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; a FIFO, a device, a folder or a file that is
    too large gets a message instead of a hang or an exhausted memory."""
    import os
    import stat

    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        raise InputError(problems=[f"{path}: {what}不存在，请检查路径"]) from e
    except ValueError as e:  # a NUL in the path
        raise InputError(problems=[f"{path}: 路径中含有空字符（NUL），请检查路径"]) from e
    except OSError as e:
        raise InputError(problems=[f"{path}: 无法读取{what}（{_READ_HINTS.get(e.errno, e.strerror or '')}）"]) from e
    if stat.S_ISDIR(st.st_mode):
        raise InputError(problems=[f"{path}: 是目录，不是文件；请指定其中的文件"])
    if not stat.S_ISREG(st.st_mode):
        raise InputError(problems=[f"{path}: 不是普通文件（如管道、设备），无法读取；请指定保存在磁盘上的文件"])
    if st.st_size > limit:
        raise InputError(problems=[f"{path}: 文件过大（{_size_text(st.st_size)}，上限 {_size_text(limit)}），"
                                   f"请确认是否选错了文件"])
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as e:
        raise InputError(problems=[f"{path}: 无法读取{what}（{_READ_HINTS.get(e.errno, e.strerror or '')}）"]) from e
    if len(raw) > limit:  # it grew while being read
        raise InputError(problems=[f"{path}: 文件过大（上限 {_size_text(limit)}），请确认是否选错了文件"])
    return raw
SUPPORTED = (".docx", *TEXT_SUFFIXES)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a document read for checking, with its line and style."""

    line: int  # 1-based line (text files) or paragraph number (.docx)
    text: str
    role: Optional[str] = None  # title / heading1 / heading2 / … where the source says so


@dataclass(frozen=True)
class SourceDocument:
    """A document read for checking: its paragraphs and where it came from."""

    path: str
    paragraphs: tuple[Paragraph, ...]
    kind: str = "txt"  # txt / md / docx / draft
    encoding: Optional[str] = None  # for text files: utf-8, utf-8-sig or gb18030

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


# ---------------------------------------------------------------- encodings


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def plausible_chinese(text: str) -> bool:
    """Whether a GB18030 decode looks like real text rather than bytes of another encoding read wrongly.

    GB18030 accepts most byte sequences, so a strict decode proves little. Real Chinese text has no control
    characters, no private-use characters, and its ideographs are overwhelmingly the common GB2312 ones.
    """
    if any(ord(c) < 32 and c not in "\t\n\r\f\v" for c in text):
        return False
    odd = rare = ideographs = other = 0
    for c in text:
        o = ord(c)
        if o < 0x80:
            continue
        if 0xE000 <= o <= 0xF8FF or o > 0xFFFF or unicodedata.category(c) in ("Cc", "Cn", "Co", "Cs"):
            odd += 1
        elif _is_cjk(c):
            ideographs += 1
            try:
                c.encode("gb2312")
            except UnicodeEncodeError:
                rare += 1
        else:
            other += 1
    total = odd + ideographs + other
    if total == 0:
        return True
    if odd / total > 0.01:
        return False
    if ideographs == 0:
        # Non-ASCII but no Chinese at all: some other legacy encoding, not GB18030.
        return False
    return rare / ideographs <= 0.15


def decode_text(raw: bytes, path: str | Path) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding). Raise InputError naming the file on failure."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and plausible_chinese(text):
            return text, "gb18030"
    raise InputError(problems=[
        f"{path}: 无法识别文本编码（支持 UTF-8、带 BOM 的 UTF-8 和 GB18030），"
        f"请用编辑器将文件另存为 UTF-8 编码后重试"
    ])


def split_lines(text: str) -> list[str]:
    """Split on the line ends an editor counts (\\r\\n, \\r, \\n); a final newline does not add a line."""
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return lines


# ---------------------------------------------------------------- markdown

_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_MD_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|(?<!_)__(?!_)(.+?)(?<!_)__(?!_)")
_MD_ITALIC = re.compile(r"(?<![*A-Za-z0-9])\*(?![\s*])(.+?)(?<![\s*])\*(?![*A-Za-z0-9])")
_MD_STRIKE = re.compile(r"~~(.+?)~~")
_MD_CODE = re.compile(r"`([^`]*)`")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_MD_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_MD_ROLES = {1: "title", 2: "heading1"}  # deeper levels are heading2, as the .md export writes them


def strip_markdown_inline(text: str) -> str:
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_BOLD.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)
    text = _MD_STRIKE.sub(r"\1", text)
    text = _MD_ITALIC.sub(r"\1", text)
    return _MD_ESCAPE.sub(r"\1", text)


def _markdown_paragraphs(lines: list[str]) -> list[Paragraph]:
    out: list[Paragraph] = []
    front_matter = bool(lines) and lines[0].strip() == "---"
    for i, line in enumerate(lines, start=1):
        if front_matter:
            # YAML front matter: keep the numbering, check nothing inside it.
            out.append(Paragraph(i, ""))
            if i > 1 and line.strip() in ("---", "..."):
                front_matter = False
            continue
        if _MD_RULE.match(line) or _MD_COMMENT.match(line):
            out.append(Paragraph(i, ""))
            continue
        m = _MD_HEADING.match(line)
        if m:
            level = len(m.group(1))
            out.append(Paragraph(i, strip_markdown_inline(m.group(2)).strip(), _MD_ROLES.get(level, "heading2")))
            continue
        body = _MD_BULLET.sub("", _MD_QUOTE.sub("", line))
        out.append(Paragraph(i, strip_markdown_inline(body).rstrip()))
    return out


# ---------------------------------------------------------------- docx


def docx_role(style_name: str | None) -> Optional[str]:
    name = (style_name or "").strip().lower().replace("\u3000", " ")
    if name in ("title", "标题"):
        return "title"
    m = re.fullmatch(r"(?:heading|标题)\s*(\d)", name)
    if m:
        return "heading1" if m.group(1) == "1" else "heading2"
    return None


def _not_docx(path: Path, why: str) -> InputError:
    return InputError(problems=[f"{path}: 不是有效的 .docx 文件（{why}），请用 Word 或 WPS 另存为 .docx 后重试"])


def _check_zip(path: Path, raw: bytes) -> None:
    """Refuse what python-docx would choke on or be made to unpack without bound, before it sees the file."""
    import io
    import zipfile

    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE file: an encrypted .docx or an old .doc
        raise _not_docx(path, "文件设有密码，或是改了扩展名的旧版 .doc 文件；有密码的请先在 Word 中取消密码")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as e:
        raise _not_docx(path, "无法按 zip 打开") from e
    total = xml = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _not_docx(path, "内容已加密")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _not_docx(path, f"使用了不支持的压缩方式 {info.compress_type}")
        total += info.file_size
        if info.filename.endswith((".xml", ".rels")):
            xml += info.file_size
    if total > DOCX_UNPACKED_LIMIT or xml > DOCX_XML_LIMIT:
        raise _not_docx(path, f"解压后过大（{_size_text(total)}，上限 {_size_text(DOCX_UNPACKED_LIMIT)}）")


def _read_docx(path: Path) -> SourceDocument:
    import io

    raw = read_regular_file(path, DOCX_LIMIT)
    _check_zip(path, raw)
    import docx  # python-docx; imported here so reading text files stays light

    try:
        document = docx.Document(io.BytesIO(raw))
        paragraphs = []
        for i, para in enumerate(document.paragraphs, start=1):
            try:
                style_name = para.style.name if para.style is not None else None
            except (KeyError, ValueError, AttributeError):  # a style id the styles part does not define
                style_name = None
            paragraphs.append(Paragraph(i, para.text, docx_role(style_name)))
    except InputError:
        raise
    except Exception as e:
        # python-docx raises many unrelated types for a damaged package (BadZipFile for a CRC error, KeyError
        # for a missing part, lxml errors for broken XML …): all of them mean the same to the user.
        raise _not_docx(path, _why(e)) from e
    return SourceDocument(str(path), tuple(paragraphs), kind="docx")


def _why(e: BaseException) -> str:
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    if isinstance(e, PackageNotFoundError):
        return "不是 Word 文档包"
    if isinstance(e, zipfile.BadZipFile):
        return "压缩内容已损坏"
    if isinstance(e, LxmlError):
        return "其中的 XML 已损坏"
    if isinstance(e, KeyError):
        return "缺少必要的组成部分"
    return "内容已损坏"


# ---------------------------------------------------------------- public


def read_document(path: str | Path) -> SourceDocument:
    """Read a .docx, .md or .txt file into numbered paragraphs. Raise InputError with a located message."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise InputError(problems=[f"{path}: 不支持旧版 Word 格式（.doc），请另存为 .docx 后重试"])
    if suffix not in SUPPORTED:
        raise InputError(problems=[f"{path}: 不支持的文件类型“{path.suffix or '（无扩展名）'}”，"
                                   f"可检查 .docx、.md 和 .txt 文件"])
    if suffix == ".docx":
        return _read_docx(path)
    raw = read_regular_file(path, TEXT_LIMIT)
    text, encoding = decode_text(raw, path)
    lines = split_lines(text)
    if suffix == ".txt":
        paragraphs = [Paragraph(i, line) for i, line in enumerate(lines, start=1)]
        kind = "txt"
    else:
        paragraphs = _markdown_paragraphs(lines)
        kind = "md"
    return SourceDocument(str(path), tuple(paragraphs), kind=kind, encoding=encoding)


def document_from_draft(draft: Draft, path: str = "草稿") -> SourceDocument:
    """A generated draft as the checker sees it, numbered as in its .md export.

    The .md export writes one line per block (title as '# …', headings as '## '/'### ', meta and paragraphs
    plain) with one blank line between blocks, so block i (0-based) stands on line 2*i+1.
    """
    paragraphs = tuple(Paragraph(2 * i + 1, block.text, block.role) for i, block in enumerate(draft.blocks))
    return SourceDocument(path, paragraphs, kind="draft")


def read_documents(paths: Iterable[str | Path]) -> list[SourceDocument]:
    """Read every file first, so one bad path is reported with all the others before any work is done."""
    docs, problems = [], []
    for p in paths:
        try:
            docs.append(read_document(p))
        except InputError as e:
            problems += e.problems or [str(e)]
    if problems:
        raise InputError(problems=problems)
    return docs
