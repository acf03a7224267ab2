#!/usr/bin/python3
"""Writes .npy fixtures with numpy itself, so the reader is tested against numpy's own files.

Run:  /usr/bin/python3 make_fixtures.py   (writes the files next to this script)
"""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
values = np.array([0.5, -1.25, 3.0e-7, 1e300, -0.0, 2.0 / 3.0])
np.save(os.path.join(here, "f8.npy"), values)
np.save(os.path.join(here, "f8_col.npy"), values.reshape(-1, 1))
np.save(os.path.join(here, "f8_big_endian.npy"), values.astype(">f8"))
np.save(os.path.join(here, "f4.npy"), values[:3].astype(np.float32))
np.save(os.path.join(here, "i8.npy"), np.array([1, -2, 3], dtype=np.int64))
np.save(os.path.join(here, "matrix.npy"), np.zeros((2, 3)))
np.save(os.path.join(here, "complex.npy"), np.zeros(2, dtype=np.complex128))
with open(os.path.join(here, "f4_expected.txt"), "w") as f:
    f.write("\n".join(repr(float(v)) for v in values[:3].astype(np.float32)) + "\n")
