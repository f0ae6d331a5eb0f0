"""Stage 6 — export: the only writer of files. .docx, .md, .txt (and .pdf through LibreOffice).

All files of one command form an ``OutputSet``: each is written in full to an unnamed temporary file in its
target folder (Linux ``O_TMPFILE``; a hidden temporary file elsewhere) and only when every one of them is
ready are they given their names together. A failure, Ctrl-C or SIGTERM before that leaves nothing; a killed
process leaves no named temporary file on Linux, and the hidden ones of other systems are removed by the next
run. A new name is created exclusively (a hard link fails if the name exists), so two builds at once cannot
both create the same file; an existing file is replaced only with ``force``. Modes follow the umask.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import signal
import socket
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from .errors import DraftgenError, InputError, RefusedError
from .models import DocxOptions, Draft

FORMATS = ("docx", "md", "txt", "pdf")
_MD_PREFIX = {"title": "# ", "heading1": "## ", "heading2": "### "}
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Markdown that would turn a plain paragraph into something else if it opened the line.
_MD_BLOCK_START = re.compile(r"^(?:#|>|[-*+][ \t]|\d+[.)][ \t]|[-*_=]{3,}|```|~~~|<)")
# File names are limited to 255 bytes on common file systems; keep the meeting part well under that so the
# suffixes (-讲话稿-备选20.plan.json) always fit.
STEM_MAX_BYTES = 150
_TMP_PREFIX = ".draftgen-"
_TMP_SUFFIX = ".tmp"
_STALE_AFTER_S = 24 * 3600


def _escape_md(text: str) -> str:
    return "\\" + text if _MD_BLOCK_START.match(text) else text


def to_markdown(draft: Draft) -> str:
    """One block per paragraph with a blank line between, so block i stands on line 2i+1."""
    return "\n\n".join(_MD_PREFIX[b.role] + b.text if b.role in _MD_PREFIX else _escape_md(b.text)
                       for b in draft.blocks) + "\n"


def to_text(draft: Draft) -> str:
    return "\n\n".join(b.text for b in draft.blocks) + "\n"


def _truncate_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def output_stem(meeting_name: str, suffix: str = "讲话稿") -> str:
    name = _UNSAFE_FILENAME.sub("_", meeting_name).strip(" .") or "draft"
    name = _truncate_bytes(name, STEM_MAX_BYTES).strip(" .") or "draft"
    return f"{name}-{suffix}"


def planned_paths(out_dir: Path, stem: str, formats: Iterable[str]) -> list[Path]:
    return [out_dir / f"{stem}.{fmt}" for fmt in formats]


def refuse_existing(paths: Iterable[Path], force: bool) -> None:
    """Refuse (naming every one) targets that exist, unless ``force``; a folder is never replaced."""
    problems = []
    for p in paths:
        if not os.path.lexists(p):
            continue
        if os.path.isdir(p) and not os.path.islink(p):
            problems.append(f"{p}: 已存在同名文件夹，无法写入；请移走该文件夹或用 -o 换一个输出目录")
        elif not force:
            problems.append(f"{p}: 文件已存在，未覆盖；如需替换请加 --force")
    if problems:
        raise RefusedError(problems=problems)


# ---------------------------------------------------------------- errors on the output side

_HINTS = {
    errno.EACCES: "没有写入权限；请检查文件夹权限，或换一个目录",
    errno.EPERM: "没有写入权限；请检查文件夹权限，或换一个目录",
    errno.EROFS: "所在磁盘是只读的；请换一个目录",
    errno.ENOSPC: "磁盘空间不足；请清理磁盘后重试",
    errno.EDQUOT: "超出磁盘配额；请清理后重试",
    errno.ENAMETOOLONG: "文件名或路径过长；请缩短会议名称或输出目录",
    errno.ENOTDIR: "路径中有一部分是文件而不是文件夹；请检查输出目录",
    errno.EISDIR: "是文件夹，不是文件；请换一个名称",
    errno.EEXIST: "已存在，未覆盖；如需替换请加 --force",
    errno.ELOOP: "路径中的符号链接过多或成环；请检查输出目录",
    errno.EMFILE: "同时打开的文件过多；请分批生成",
}


def output_error(path: Path | str, e: OSError) -> RefusedError:
    """An OSError met while writing ``path`` as a message a user can act on (exit code 2)."""
    hint = _HINTS.get(e.errno) or f"无法写入（{e.strerror or e}）；请检查输出目录后重试"
    return RefusedError(problems=[f"{path}: {hint}"])


# ---------------------------------------------------------------- stale temporary files

def _host_tag() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temp_name() -> str:
    return f"{_TMP_PREFIX}{_host_tag()}-{os.getpid()}-{secrets.token_hex(4)}{_TMP_SUFFIX}"


_TEMP_RE = re.compile(re.escape(_TMP_PREFIX) + r"([0-9a-f]{8})-(\d+)-[0-9a-f]{8}" + re.escape(_TMP_SUFFIX) + "$")
# While a set is being named, a journal beside its first file lists each new name with the file it must be
# (device, inode, size, modification time): a run killed between two names leaves the journal, and the next run takes the set back.
_JOURNAL_SUFFIX = ".set"
_JOURNAL_RE = re.compile(re.escape(_TMP_PREFIX) + r"([0-9a-f]{8})-(\d+)-[0-9a-f]{8}" + re.escape(_JOURNAL_SUFFIX) + "$")


def _leftovers(directory: Path, pattern: re.Pattern) -> Iterator[tuple[Path, bool]]:
    """The hidden files of ``pattern`` in ``directory``, each with whether the run that left it is dead (a
    process of this machine that no longer runs). Unreadable folders have none."""
    try:
        names = os.listdir(directory)
    except OSError:
        return
    host = _host_tag()
    for name in names:
        m = pattern.match(name)
        if m:
            yield Path(directory) / name, m.group(1) == host and not _pid_alive(int(m.group(2)))


def _undo_interrupted_sets(directory: Path) -> list[Path]:
    """Remove the files of sets whose naming a killed run of draftgen did not finish (journal of a dead
    process on this machine): only files that are still the very ones it created."""
    removed: list[Path] = []
    for journal, dead in _leftovers(directory, _JOURNAL_RE):
        if not dead:
            continue
        try:
            lines = journal.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            with contextlib.suppress(OSError, ValueError):
                dev, ino, size, mtime, target = line.split(" ", 4)
                st = os.lstat(target)
                if (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) == (int(dev), int(ino), int(size), int(mtime)):
                    os.unlink(target)
                    removed.append(Path(target))
        with contextlib.suppress(OSError):
            os.unlink(journal)
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but is not ours
        return True
    return True


def clean_stale_temps(directory: Path) -> list[Path]:
    """Remove hidden temporary files a killed run of draftgen left in ``directory`` (of a process on this
    machine that no longer runs, or older than a day). Returns what was removed; errors are ignored."""
    removed = []
    for path, dead in _leftovers(directory, _TEMP_RE):
        try:
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and (dead or time.time() - st.st_mtime > _STALE_AFTER_S):
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue
    return removed


# ---------------------------------------------------------------- the output set

_HAVE_TMPFILE = hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd")
_MAX_OPEN = 256  # unnamed files held open at once; beyond that, hidden named ones


@dataclass
class _Staged:
    target: Path
    fd: Optional[int] = None  # an unnamed O_TMPFILE file
    tmp: Optional[Path] = None  # or a hidden named one

    @property
    def path(self) -> Path:
        """A path the content can be written through (for writers that want a file name)."""
        return Path(f"/proc/self/fd/{self.fd}") if self.fd is not None else self.tmp  # type: ignore[return-value]


class OutputSet:
    """The files of one command, written together or not at all.

        with OutputSet(force=False) as out:
            out.add_text(dir / "a.md", text)
            out.add(dir / "a.docx", lambda path: write_docx(draft, path))
            written = out.commit()

    Leaving the block without ``commit`` (an error, Ctrl-C) discards everything staged.
    """

    def __init__(self, force: bool = False):
        self.force = force
        self._staged: list[_Staged] = []
        self._made_dirs: list[Path] = []
        self._cleaned: set[Path] = set()
        self._committed = False

    # -- staging

    def _staging_dir(self, directory: Path) -> Path:
        """Where to stage files for ``directory``: itself, or while it does not exist yet its nearest existing
        ancestor (the same file system), so that folders are only made when the set is committed."""
        d = directory
        while not os.path.lexists(d) and d != d.parent:
            d = d.parent
        if os.path.lexists(d) and not os.path.isdir(d):
            raise RefusedError(problems=[f"{d}: 不是文件夹而是文件，无法在其中写入；请用 -o 指定一个文件夹"])
        if d not in self._cleaned:
            clean_stale_temps(d)
            _undo_interrupted_sets(d)
            self._cleaned.add(d)
        return d

    def _make_dirs(self, directory: Path) -> None:
        missing = []
        d = directory
        while not os.path.lexists(d) and d != d.parent:
            missing.append(d)
            d = d.parent
        for m in reversed(missing):
            try:
                os.mkdir(m)
            except FileExistsError:
                if not os.path.isdir(m):
                    raise RefusedError(problems=[f"{m}: 不是文件夹而是文件，无法在其中写入"]) from None
                continue
            except OSError as e:
                raise output_error(m, e) from e
            self._made_dirs.append(m)

    def _open(self, target: Path) -> _Staged:
        if "\0" in str(target):
            shown = str(target).replace("\0", "\\0")
            raise RefusedError(problems=[f"{shown}: 路径中含有空字符（NUL），请检查输出目录"])
        if any(s.target == target for s in self._staged):
            raise RefusedError(problems=[f"{target}: 同一次生成中有两份文稿要写入同一个文件；请改用不同的会议名称或输出目录"])
        refuse_existing([target], self.force)
        where = self._staging_dir(target.parent)
        staged = None
        if _HAVE_TMPFILE and sum(s.fd is not None for s in self._staged) < _MAX_OPEN:
            try:
                staged = _Staged(target, fd=os.open(where, os.O_TMPFILE | os.O_WRONLY, 0o666))
            except OSError as e:
                if e.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT, errno.EMFILE):
                    raise output_error(target if where == target.parent else where, e) from e
        if staged is None:
            tmp = where / _temp_name()
            try:
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            except OSError as e:
                raise output_error(target if where == target.parent else where, e) from e
            staged = _Staged(target, tmp=tmp)
        self._staged.append(staged)
        return staged

    def add(self, target: Path, produce: Callable[[Path], None]) -> None:
        """Stage ``target`` with the content ``produce(path)`` writes to the path it is given."""
        staged = self._open(Path(target))
        try:
            produce(staged.path)
        except OSError as e:
            raise output_error(target, e) from e

    def add_bytes(self, target: Path, data: bytes) -> None:
        def produce(path: Path) -> None:
            with open(path, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        self.add(target, produce)

    def add_text(self, target: Path, text: str) -> None:
        self.add_bytes(target, text.encode("utf-8"))

    # -- committing

    def _link(self, s: _Staged) -> None:
        """Give the staged content its final name: exclusively unless ``force``."""
        if s.fd is not None:
            if not self.force:
                proc = os.open("/proc/self/fd", os.O_RDONLY)
                try:
                    os.link(str(s.fd), s.target, src_dir_fd=proc, follow_symlinks=True)
                finally:
                    os.close(proc)
                return
            # Replacing: a named temporary first (rename cannot take an unnamed file), then rename over.
            tmp = s.target.parent / _temp_name()
            proc = os.open("/proc/self/fd", os.O_RDONLY)
            try:
                os.link(str(s.fd), tmp, src_dir_fd=proc, follow_symlinks=True)
            finally:
                os.close(proc)
            s.tmp = tmp
        assert s.tmp is not None
        if self.force:
            os.replace(s.tmp, s.target)
            s.tmp = None
            return
        try:
            os.link(s.tmp, s.target)
        except OSError as e:
            if e.errno == errno.EEXIST:
                raise
            # No hard links here (some network or FAT drives): reserve the name exclusively, then rename.
            os.close(os.open(s.target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            os.replace(s.tmp, s.target)
            s.tmp = None
            return
        os.unlink(s.tmp)
        s.tmp = None

    def _journal(self) -> Optional[Path]:
        """Write the journal of the names about to be created (not with --force: a replaced file cannot be
        given back, so there is nothing to take back either)."""
        if self.force or not self._staged:
            return None
        entries = []
        for s in self._staged:
            st = os.fstat(s.fd) if s.fd is not None else os.stat(s.tmp)
            # (inode numbers are reused at once: size and modification time tell a later file apart)
            entries.append(f"{st.st_dev} {st.st_ino} {st.st_size} {st.st_mtime_ns} {os.path.abspath(s.target)}")
        directory = self._staged[0].target.parent
        self._make_dirs(directory)
        journal = directory / (_temp_name()[:-len(_TMP_SUFFIX)] + _JOURNAL_SUFFIX)
        fd = os.open(journal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join(entries) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return journal

    def commit(self) -> list[Path]:
        """Name every staged file. If one cannot be named, the ones this call created are removed again."""
        created: list[Path] = []
        try:
            journal = self._journal()
        except OSError as e:
            raise output_error(self._staged[0].target.parent, e) from e
        try:
            return self._commit(created)
        finally:
            if journal is not None:
                with contextlib.suppress(OSError):
                    os.unlink(journal)

    def _commit(self, created: list[Path]) -> list[Path]:
        with _signals_deferred():
            for s in self._staged:
                try:
                    self._make_dirs(s.target.parent)
                    self._link(s)
                except RefusedError:
                    self._undo(created)
                    raise
                except FileExistsError as e:
                    self._undo(created)
                    raise RefusedError(problems=[f"{s.target}: 文件已存在（可能是同时运行的另一次生成写入的），"
                                                 f"未覆盖；如需替换请加 --force"]) from e
                except OSError as e:
                    self._undo(created)
                    raise output_error(s.target, e) from e
                if not self.force:
                    created.append(s.target)
            self._committed = True
            self._release()
        return [s.target for s in self._staged]

    def _undo(self, created: list[Path]) -> None:
        for path in created:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _release(self) -> None:
        for s in self._staged:
            if s.fd is not None:
                with contextlib.suppress(OSError):
                    os.close(s.fd)
                s.fd = None
            if s.tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(s.tmp)
                s.tmp = None

    def discard(self) -> None:
        self._release()
        if not self._committed:
            for d in reversed(self._made_dirs):
                with contextlib.suppress(OSError):
                    os.rmdir(d)  # only if still empty
        self._made_dirs = []

    def __enter__(self) -> "OutputSet":
        return self

    def __exit__(self, *exc) -> None:
        self.discard()


class Interrupted(DraftgenError):
    """SIGTERM during a build: nothing was written."""

    exit_code = 143


@contextlib.contextmanager
def terminate_as_exception() -> Iterator[None]:
    """Turn SIGTERM into an exception while files are staged, so the clean-up runs as for Ctrl-C."""
    def handler(signum, frame):
        raise Interrupted("已终止，未写入任何文件")
    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM during the few renames of a commit, so a set is not cut in half."""
    pending: list[int] = []

    def hold(signum, frame):
        pending.append(signum)
    try:
        old = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if pending:  # the set is complete now; stop as the signal asked, just after it
            raise KeyboardInterrupt


# ---------------------------------------------------------------- single files and drafts

@contextlib.contextmanager
def atomic_path(target: Path, force: bool = True) -> Iterator[Path]:
    """Yield a path to write ``target``'s content to; on success it takes the name, on failure nothing remains."""
    target = Path(target)
    with OutputSet(force=force) as out:
        staged = out._open(target)
        try:
            yield staged.path
        except OSError as e:
            raise output_error(target, e) from e
        out.commit()


def write_text_atomic(target: Path, text: str, *, force: bool = True) -> None:
    """Write one text file atomically; replaces an existing file unless ``force`` is False."""
    with OutputSet(force=force) as out:
        out.add_text(Path(target), text)
        out.commit()


def stage_draft(out: OutputSet, draft: Draft, out_dir: Path, stem: str, formats: Iterable[str], *,
                docx_options: Optional[DocxOptions] = None, base_dir: Optional[Path] = None,
                where: str = "") -> list[Path]:
    """Stage ``draft`` in each format into ``out``; nothing has a name until ``out.commit()``."""
    targets = planned_paths(out_dir, stem, formats)
    for fmt, target in zip(formats, targets):
        if fmt == "md":
            out.add_text(target, to_markdown(draft))
        elif fmt == "txt":
            out.add_text(target, to_text(draft))
        elif fmt == "docx":
            out.add(target, lambda p: _write_docx(draft, p, docx_options, base_dir, where))
        elif fmt == "pdf":
            out.add_bytes(target, _pdf_bytes(draft, docx_options, base_dir, where))
    return targets


def require_pdf_converter(formats: Iterable[str]) -> None:
    if "pdf" in formats:
        from .docx_export import NO_SOFFICE, find_soffice

        if find_soffice() is None:  # checked first, so no other format is written either
            raise InputError(problems=[NO_SOFFICE])


def write_draft(draft: Draft, out_dir: Path, stem: str, formats: Iterable[str], *, force: bool = False,
                docx_options: Optional[DocxOptions] = None, base_dir: Optional[Path] = None) -> list[Path]:
    """Write ``draft`` in each format: every file or none. All targets are checked before anything is written."""
    formats = list(dict.fromkeys(formats))
    targets = planned_paths(out_dir, stem, formats)
    refuse_existing(targets, force)
    require_pdf_converter(formats)
    with OutputSet(force=force) as out:
        stage_draft(out, draft, out_dir, stem, formats, docx_options=docx_options, base_dir=base_dir)
        return out.commit()


def _located(e: InputError, where: str) -> InputError:
    """Prefix the docx option messages of the exporter with the org file and line they come from."""
    if not where:
        return e
    lines = e.problems or [str(e)]
    return InputError(problems=[f"{where}: {line}" for line in lines])


def _write_docx(draft: Draft, target: Path, options, base_dir, where: str = "") -> None:
    from .docx_export import write_docx  # python-docx is imported only when a .docx is asked for

    try:
        write_docx(draft, target, options, base_dir)
    except InputError as e:
        raise _located(e, where) from e


def _pdf_bytes(draft: Draft, options, base_dir, where: str = "") -> bytes:
    from .docx_export import convert_to_pdf, write_docx

    with tempfile.TemporaryDirectory(prefix="draftgen-pdf-") as work:
        docx_path = Path(work) / "draft.docx"
        pdf_path = Path(work) / "draft.pdf"
        try:
            write_docx(draft, docx_path, options, base_dir)
        except InputError as e:
            raise _located(e, where) from e
        convert_to_pdf(docx_path, pdf_path)
        return pdf_path.read_bytes()
