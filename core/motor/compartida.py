"""Columns that the copies of a state share until one of them writes: the state read from the
head's snapshot when a store opens is laid out in one memory file (Linux's ``memfd``), sealed
read-only, and a copy of one of its columns is a private mapping of that column's pages, so the
kernel copies only the pages the copy writes. A correction rebuilds its checkpoint from a copy
of that state (about 120 MB after ten cycles of 150,000 contractors) and then writes a few
columns of the latest cycle: it no longer copies the rest. Where there is no memory file (not
Linux) the columns are ordinary arrays and a copy copies them whole.

A sealed column cannot be written (NumPy raises): the state it belongs to is never changed in
place, which is what makes sharing its pages safe."""

from __future__ import annotations

import ctypes
import mmap
import os
import weakref
from collections.abc import Sequence

import numpy as np

_PAGINA = mmap.ALLOCATIONGRANULARITY
_MINIMO = 1 << 16  # bytes: a smaller column is copied (a mapping of its own costs more)
_MODO = mmap.PROT_READ | mmap.PROT_WRITE
_LIBC = ctypes.CDLL(None, use_errno=True) if hasattr(os, "memfd_create") else None
if _LIBC is not None:  # the private mappings are made here: Python's mmap holds a file per map
    _LIBC.mmap.restype = ctypes.c_void_p
    _LIBC.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                           ctypes.c_int, ctypes.c_long)
    _LIBC.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_FALLIDA = ctypes.c_void_p(-1).value  # MAP_FAILED


class _Archivo(mmap.mmap):
    """The shared mapping of a memory file holding a state's columns; the file stays open
    while it lives, for the private mappings of its copies."""

    fd: int
    inicio: int  # the address of its first byte


def reservar(formas: Sequence[tuple[int, np.dtype]], *, compartida: bool) -> list[np.ndarray]:
    """Writable arrays of these lengths and types, for a state to fill; with ``compartida``,
    the large ones laid out in one memory file (then :func:`sellar` them once filled)."""
    posiciones, total = [], 0
    for n, dtype in formas:
        nbytes = n * np.dtype(dtype).itemsize
        if compartida and nbytes >= _MINIMO and _LIBC is not None:
            posiciones.append(total)
            total += -(-nbytes // _PAGINA) * _PAGINA
        else:
            posiciones.append(None)
    if total > os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"):
        # Not a real state (the sizes of an altered snapshot): ordinary arrays, which fail as
        # ordinary memory does (MemoryError) rather than by a signal on a page written.
        return reservar(formas, compartida=False)
    try:
        archivo = _archivo(total) if total else None
    except OSError:  # no memory file here (a sandbox that forbids memfd, /dev/shm full):
        return reservar(formas, compartida=False)  # ordinary arrays, copied whole
    return [np.empty(n, dtype) if p is None else
            np.frombuffer(archivo, dtype=dtype, count=n, offset=p)  # type: ignore[arg-type]
            for (n, dtype), p in zip(formas, posiciones, strict=True)]


def _archivo(total: int) -> _Archivo:
    fd = os.memfd_create("repse-estado", os.MFD_CLOEXEC)
    try:
        os.ftruncate(fd, total)
        archivo = _Archivo(fd, total, flags=mmap.MAP_SHARED, prot=_MODO)
    except BaseException:
        os.close(fd)
        raise
    archivo.fd = fd
    archivo.inicio = np.frombuffer(archivo, dtype=np.uint8, count=1).__array_interface__[
        "data"][0]
    weakref.finalize(archivo, os.close, fd).atexit = False
    return archivo


def sellar(columnas: Sequence[np.ndarray]) -> None:
    """Make the columns laid out in a memory file read-only: their state is never changed in
    place, and its copies share their pages."""
    for v in columnas:
        if _archivo_de(v) is not None:
            v.flags.writeable = False


def _archivo_de(v: np.ndarray) -> _Archivo | None:
    base = v.base
    return base.obj if isinstance(base, memoryview) and isinstance(base.obj, _Archivo) \
        else None


def copiar(v: np.ndarray) -> np.ndarray:
    """A copy of ``v`` for a state to change: of a sealed column, a private mapping of its
    pages (the kernel copies those the copy writes); of any other, an ordinary copy."""
    archivo = _archivo_de(v)
    if archivo is None or v.flags.writeable or _LIBC is None:
        return v.copy()
    offset = v.__array_interface__["data"][0] - archivo.inicio
    direccion = _LIBC.mmap(None, v.nbytes, _MODO, mmap.MAP_PRIVATE, archivo.fd, offset)
    if direccion in (None, _FALLIDA):
        raise OSError(ctypes.get_errno(), "mmap")
    paginas = (ctypes.c_char * v.nbytes).from_address(direccion)
    # Unmapped with its last view; not at exit, when a view may still be read.
    weakref.finalize(paginas, _LIBC.munmap, direccion, v.nbytes).atexit = False
    return np.frombuffer(paginas, dtype=v.dtype, count=v.size).reshape(v.shape)
