"""A second reader of a handwritten blank: PP-OCRv4's text-line recogniser.

The digit classifier of services/ocr/handwriting.py learnt from MNIST, handwriting fonts
and drawn strokes; a Vietnamese clerk's flagged "1" or open "9" often leaves it unsure.
PaddleOCR's recogniser learnt from other writing altogether (printed and handwritten lines
of many scripts), so the two rarely err alike: where both read the same digits, the
reading is kept (``handwriting.read_agreed``). Neither is trusted alone when unsure.

The model is the one ``rapidocr-onnxruntime`` ships (``models/ch_PP-OCRv4_rec_infer.onnx``,
Apache-2.0, its character list in the model's metadata), run with onnxruntime on one
thread, as Tesseract runs. The package itself is not imported (it pulls OpenCV in,
~80 MB a process): only its model file is read, and this module does what its
``TextRecognizer`` does: the line scaled to 48 px high, normalised to [-1, 1], padded to at
least 320 px wide, and the network's output decoded greedily (CTC: repeats merged, blanks
dropped), the confidence the mean of the kept steps' probabilities.

The contract: :func:`read_line` takes a crop of one line of writing (any mode) and returns
what it reads and that confidence; ``("", 0.0)`` when it reads nothing. The session is made
on first use, once per process (~65 MB)."""

from __future__ import annotations

import functools
import importlib.util
import math
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

_PACKAGE = "rapidocr_onnxruntime"
_MODEL = Path("models") / "ch_PP-OCRv4_rec_infer.onnx"
_HEIGHT, _LEAST_WIDTH = 48, 320  # the model's input height, and the width it pads lines to


@functools.cache
def _session() -> tuple[Any, list[str]]:
    """The recogniser's session and its classes (0 the CTC blank, then the model's characters and a space)."""
    import onnxruntime  # ~30 MB: only in a process that meets a blank the classifier is unsure of

    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the line reader's model needs the {_PACKAGE} package installed")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.log_severity_level = 3  # its warnings about unused initialisers are not ours to act on
    session = onnxruntime.InferenceSession(str(Path(spec.submodule_search_locations[0]) / _MODEL), options,
                                           providers=["CPUExecutionProvider"])
    characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
    return session, ["", *characters, " "]


def read_line(image: Image.Image) -> tuple[str, float]:
    """What the recogniser reads in ``image`` (one line of writing), and its confidence in [0, 1]."""
    decoded = _decoded(image)
    if decoded is None:
        return "", 0.0
    steps, classes, kept = decoded
    return "".join(classes[i] for i in steps[kept].argmax(axis=1)).strip(), float(steps[kept].max(axis=1).mean())


def read_digits(image: Image.Image) -> list[np.ndarray]:
    """For each character the recogniser reads in ``image``, left to right, its
    probabilities of the digits 0-9 (the rest of 1: any other character), at the step of
    the network's output surest of that character: what the digit classifier's
    probabilities are weighed with (``handwriting.read_fused``). Spaces left out."""
    decoded = _decoded(image)
    if decoded is None:
        return []
    steps, classes, kept = decoded
    digits = [classes.index(str(d)) for d in range(10)]
    best = steps.argmax(axis=1)
    found, run = [], None
    for t in range(len(best)):
        if kept[t]:
            run = t
        if run is not None and (t + 1 == len(best) or kept[t + 1] or best[t + 1] != best[run]):
            if classes[best[run]] != " ":
                surest = max(range(run, t + 1), key=lambda k: steps[k, best[run]])
                found.append(steps[surest, digits])
            run = None
    return found


def _decoded(image: Image.Image) -> tuple[np.ndarray, list[str], np.ndarray] | None:
    """The network's output for ``image`` (a step's class probabilities per row), its
    classes, and the steps that start a character (CTC: a class other than the blank, not
    repeating the step before); ``None`` when it reads nothing. A blank is asked for its
    text and for its digits' probabilities, and its day's ink for its text once more: the
    last few crops' outputs are kept, keyed by their pixels, so that each is run once."""
    if image.width < 1 or image.height < 1:
        return None
    return _run(image.mode, image.size, image.tobytes())


@functools.lru_cache(maxsize=16)
def _run(mode: str, size: tuple[int, int], pixels: bytes) -> tuple[np.ndarray, list[str], np.ndarray] | None:
    """:func:`_decoded` of the image ``mode``, ``size`` and ``pixels`` describe."""
    image = Image.frombytes(mode, size, pixels)
    session, classes = _session()
    width = max(1, math.ceil(_HEIGHT * image.width / image.height))
    scaled = np.asarray(image.convert("RGB").resize((width, _HEIGHT), Image.Resampling.BILINEAR), dtype=np.float32)
    batch = np.zeros((1, 3, _HEIGHT, max(width, _LEAST_WIDTH)), dtype=np.float32)
    batch[0, :, :, :width] = (scaled.transpose(2, 0, 1) / 255.0 - 0.5) / 0.5
    steps = session.run(None, {session.get_inputs()[0].name: batch})[0][0]
    best = steps.argmax(axis=1)
    kept = (best != 0) & np.concatenate(([True], best[1:] != best[:-1]))
    return (steps, classes, kept) if kept.any() else None
