"""OCR: page images → the same visual lines as the PDF text layer (read/page.py), with scores.

An engine turns an image (H×W×3 uint8, BGR) into text lines: a box, the text, a score. The default is
RapidOCR (rapidocr-onnxruntime 1.4.x, whose wheel ships its ONNX models: nothing is downloaded); Debian's
tesseract with chi_sim can be chosen instead. Engine lines become page lines: segments on one row
(after light deskew) are read left to right, a wide gap between them is a column gap (two spaces, as
in a text table), and each character gets a share of its segment's box.
"""
from __future__ import annotations

import bisect
import math
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from ..errors import InputError
from .page import VLine

DEFAULT_DPI = 300


@dataclass(frozen=True)
class OcrLine:
    quad: tuple[tuple[float, float], ...]  # four corners, pixels
    text: str
    score: float
    # characters the page's ink shows to be other than read (read/ink.py): (index in text, meant),
    # logged as repairs so that the engine's reading can be rebuilt
    fixes: tuple[tuple[int, str], ...] = ()

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of the quad."""
        xs = [p[0] for p in self.quad]
        ys = [p[1] for p in self.quad]
        return min(xs), max(xs), min(ys), max(ys)


class OcrUnavailable(Exception):
    """The chosen engine is not installed."""


# RapidOCR's PP-OCRv4 models (shipped in each wheel) run by one of two runtimes with the same API.
# OpenVINO in f32 reads a 300-dpi page about twice as fast as onnxruntime here, with the same readings on
# all 48 sample scans (README, "OCR runtimes and speed"), so "rapidocr" takes it when it is installed
RAPIDOCR_RUNTIMES = {"openvino": "rapidocr_openvino", "onnxruntime": "rapidocr_onnxruntime"}
ENGINES = ("rapidocr", *(f"rapidocr-{runtime}" for runtime in RAPIDOCR_RUNTIMES), "tesseract")
# each runtime's name for its thread count, where a batch worker's engine is given its share of the
# cores: onnxruntime engines on every core each fight (batch -j 2 on 2 cores: 0.31 pages/s, against 0.46
# with one thread each), while OpenVINO on one thread reads at less than half its speed (0.46 against
# 0.72 pages/s): it keeps its own threading (benchmarks/bench_ocr.py --batch)
THREADS_OPTION = {"onnxruntime": "intra_op_num_threads"}
ENGINE_THREADS = -1  # threads an engine may use (-1: every core); a batch worker sets its share


def _openvino_in_full_precision() -> None:
    """Make rapidocr_openvino compile its models for 32-bit floats. On a CPU with bfloat16 (AVX-512
    BF16, AMX) OpenVINO infers in bfloat16 by default, which misread whole lines of sample scans here
    (a part heading lost: facts recall 0.875 → 0); in f32 its readings equal onnxruntime's."""
    import importlib

    from openvino.runtime import Core

    infer_engine = importlib.import_module("rapidocr_openvino.utils.infer_engine")
    if getattr(infer_engine.Core, "full_precision", False):
        return

    class FullPrecisionCore(Core):
        full_precision = True

        def compile_model(self, model, device_name="CPU", config=None):
            return super().compile_model(model, device_name, {**(config or {}), "INFERENCE_PRECISION_HINT": "f32"})

    infer_engine.Core = FullPrecisionCore


class _DetectorInput:
    """RapidOCR 1.4's detector input (ch_ppocr_det DetPreProcess), scaled to at most `long_side` if given,
    and made from a table of the 256 levels instead of arithmetic over the whole page: its normalize
    works in float64 on every pixel (0.15-0.3 s a 300-dpi page here, about a tenth of the engine's time).
    The table holds what normalize itself gives each level on each channel, so the input is the same to
    the bit as RapidOCR's own preprocessing at that scale (`own`; tests/test_ocr.py checks it)."""

    def __init__(self, pre, long_side: int | None = None):
        self.pre = pre
        self.long_side = long_side

    def own(self, img):
        """RapidOCR's own preprocessing for this image: its choice, or the capped one when larger."""
        if self.long_side and self._chosen_long_side(*img.shape[:2]) > self.long_side:
            return type(self.pre)(self.long_side, "max", self.pre.mean, self.pre.std)
        return self.pre

    def _chosen_long_side(self, h: int, w: int) -> int:
        """The long side RapidOCR's choice would scale this image to (its resize, without the pixels)."""
        pre = self.pre
        if pre.limit_type == "max":
            ratio = pre.limit_side_len / max(h, w) if max(h, w) > pre.limit_side_len else 1.0
        else:
            ratio = pre.limit_side_len / min(h, w) if min(h, w) < pre.limit_side_len else 1.0
        return max(int(h * ratio), int(w * ratio))

    def __call__(self, img):
        import numpy as np

        pre = self.own(img)
        if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
            return pre(img)
        resized = pre.resize(img)
        if resized is None:
            return None
        table = pre.normalize(np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)).astype(np.float32)
        out = np.empty((1, 3, *resized.shape[:2]), dtype=np.float32)  # the layout of permute and expand_dims
        for c in range(3):
            np.take(table[:, c], resized[:, :, c], out=out[0, c])
        return out


# The recognizer under OpenVINO reads each batch of lines first in bfloat16, on a CPU that computes in
# it: the recognizer is two thirds of the engine's time, and in bfloat16 it takes 0.51 s a 300 dpi page
# against 0.85 s. bfloat16 moves the characters' probabilities, mostly a little (on 240 lines of three
# samples, 4 read otherwise than in f32, each with a step whose best two were under 0.1 apart), but
# once by 0.28 (a lone `案` at 0.72 in f32, 0.45 in bfloat16, which RapidOCR then drops under its 0.5
# line score). So a line is read again in f32, and takes that reading, when any step's best character
# is under RECHECK_STEP_BELOW, or its score (the mean of its characters') is within RECHECK_NEAR_MARK of
# the items' low-confidence mark (assemble.LOW_CONFIDENCE, 0.9; scores moved by up to 0.019 on the
# sample pages), so that no item's mark depends on the CPU. On the 48 sample scans the readings, CER
# and facts recall are those of f32; the scores of the lines not read again differ from f32's in the
# third decimal (README, "OCR runtimes and speed")
RECOGNIZER_PRECISION = "bf16"
RECHECK_STEP_BELOW = 0.8
LOW_CONFIDENCE_MARK = 0.9  # assemble.LOW_CONFIDENCE (tests/test_ocr.py holds them equal)
RECHECK_NEAR_MARK = 0.03


class _RecognizerCheckedInFullPrecision:
    """rapidocr_openvino's recognizer session (a batch of line images in, each step's character
    probabilities out: index 0 is CTC's blank) run in a fast precision, with the lines it is unsure of
    read again in f32."""

    def __init__(self, fast, full):
        self.fast, self.full = fast, full

    @staticmethod
    def _unsure(probs):
        import numpy as np

        best, chars = probs.max(axis=-1), probs.argmax(axis=-1)
        read = (chars != 0) & np.concatenate([np.ones_like(chars[:, :1], bool), chars[:, 1:] != chars[:, :-1]], axis=1)
        score = (best * read).sum(axis=1) / np.maximum(read.sum(axis=1), 1)
        near_mark = np.abs(score - LOW_CONFIDENCE_MARK) < RECHECK_NEAR_MARK
        return np.flatnonzero((best.min(axis=1) < RECHECK_STEP_BELOW) | near_mark)

    def __call__(self, batch):
        probs = self.fast(batch)
        unsure = self._unsure(probs)
        if len(unsure):
            probs = probs.copy()  # the request's own output buffer
            probs[unsure] = self.full(batch[unsure])
        return probs


def _recognizer_in_precision(recognizer, module, precision: str) -> None:
    """Run rapidocr_openvino's recognizer in `precision`, checked in f32, where the CPU has it."""
    from pathlib import Path

    from openvino.runtime import Core

    core = Core()
    if precision.upper() not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
        return
    model = core.read_model(str(Path(module.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"))
    fast = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": precision}).create_infer_request()

    def read_fast(batch):
        fast.infer(inputs=[batch])
        return fast.get_output_tensor().data

    recognizer.session = _RecognizerCheckedInFullPrecision(read_fast, recognizer.session)


class _PageClassifier:
    """RapidOCR's direction classifier asked about a page's lines all together: the lines are turned
    round only when most of them are found upside down (a page scanned upside down, or sideways the way
    RapidOCR's own quarter turn of tall lines leaves them upside down), never one by one. Line by line it
    turned single lines of upright pages round, which were then read as `，，，中推` or lost: on the 48
    sample scans (24 samples, clean and degraded, 300 dpi) 5 read better this way (yunxi's clean scan CER
    1.64 -> 0.16 %, donghu's degraded 1.94 -> 0.13 %, luoxi's clean 5.73 -> 4.00 %, pingshan's degraded
    0.85 -> 0.65 %, lanzhou's degraded 5.74 -> 4.24 % with its tasks recall 0.667 -> 1.0) and none worse.
    Without any classifier those scans read the same, but a page scanned upside down or turned 270°
    gives too few readable lines for read/orient.py to turn it upright: of the first two pages of every
    sample turned 90°, 180° and 270° (144 pages), 133 were then left turned or read otherwise than
    upright; with the page's lines together, as line by line, none."""

    def __init__(self, classifier):
        self.classifier = classifier

    def __call__(self, crops):
        turned, votes, elapse = self.classifier(crops)
        flipped = sum(1 for label, score in votes if "180" in label and score > self.classifier.cls_thresh)
        return (turned if 2 * flipped > len(votes) else list(crops)), votes, elapse


class RapidOcrEngine:
    def __init__(self, runtime: str | None = None, line_classifier: bool = False,
                 detector_long_side: int | None = None, recognizer_precision: str | None = RECOGNIZER_PRECISION):
        """`line_classifier`: RapidOCR's own way, each line turned round by itself (kept for
        benchmarks/bench_ocr.py to compare); else the page's lines together (_PageClassifier).
        `detector_long_side`: the detector's input scaled to at most this long side. RapidOCR 1.4 only
        ever enlarges: an A4 page at 300 dpi, 2000 px long once RapidOCR has scaled it, is detected at
        1408 × 1984. At 1536 the detector takes 0.20 s a page instead of 0.34, but its boxes move by a
        pixel or two and characters near the edge of a decision read otherwise: 13 of the 48 sample
        scans read worse, 17 better (README, "OCR runtimes and speed"), so it is not the default.
        `recognizer_precision`: OpenVINO's first reading of each line, checked in f32 (None: f32 only;
        RECOGNIZER_PRECISION)."""
        import importlib

        tried = []
        for name in [runtime] if runtime else list(RAPIDOCR_RUNTIMES):
            try:
                module = importlib.import_module(RAPIDOCR_RUNTIMES[name])
            except ImportError as exc:  # opencv without libGL says ImportError too
                tried.append(f"{RAPIDOCR_RUNTIMES[name]}: {exc}")
                continue
            self.runtime = name
            self.name = f"rapidocr-{name}"
            if name == "openvino":
                _openvino_in_full_precision()
            threads = {THREADS_OPTION[name]: ENGINE_THREADS} if name in THREADS_OPTION else {}
            self._engine = module.RapidOCR(**threads)
            self._classifier = self._engine.text_cls
            if not line_classifier:
                self._engine.text_cls = _PageClassifier(self._classifier)
            detector = self._engine.text_det
            detector.get_preprocess = lambda longest, made=detector.get_preprocess: _DetectorInput(made(longest), detector_long_side)
            if name == "openvino" and recognizer_precision:
                _recognizer_in_precision(self._engine.text_rec, module, recognizer_precision)
            return
        raise OcrUnavailable(f"rapidocr is not available ({'; '.join(tried)}): pip install 'bulletin-extract[ocr]'"
                             " (on slim Debian images also apt-get install libgl1 libglib2.0-0)")

    def recognize(self, image) -> list[OcrLine]:
        result, _ = self._engine(image)
        if not result:  # a blank page gives (None, None)
            return []
        return [OcrLine(tuple((float(x), float(y)) for x, y in quad), text, float(score)) for quad, text, score in result]

    def read_line(self, image) -> tuple[str, float]:
        """One line's image read as it is, without looking for lines in it."""
        result, _ = self._engine(image, use_det=False, use_cls=False, use_rec=True)
        return (result[0][0], float(result[0][1])) if result else ("", 0.0)

    upside_down_is_costly = False  # the direction classifier takes milliseconds

    def upside_down(self, crops) -> list[bool]:
        """For each line image, whether the engine's direction classifier finds it upside down."""
        _, votes, _ = self._classifier(crops)
        return [label == "180" and score >= 0.9 for label, score in votes]


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = "chi_sim"):
        self._exe = shutil.which("tesseract")
        if not self._exe:
            raise OcrUnavailable("tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
        langs = subprocess.run([self._exe, "--list-langs"], capture_output=True, text=True).stdout.split()
        if lang not in langs:
            raise OcrUnavailable(f"tesseract has no {lang} data: apt-get install tesseract-ocr-chi-sim")
        self._lang = lang

    def _tsv(self, image, psm: int) -> str:
        import cv2

        ok, png = cv2.imencode(".png", image)
        # one thread per process: tesseract's OpenMP threads only slow it down on small machines
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        run = subprocess.run([self._exe, "stdin", "stdout", "-l", self._lang, "--psm", str(psm), "tsv"],
                             input=png.tobytes(), capture_output=True, env=env, timeout=600)
        return run.stdout.decode("utf-8", "replace")

    def read_line(self, image) -> tuple[str, float]:
        lines = self._lines(self._tsv(image, 7))
        return (lines[0].text, lines[0].score) if lines else ("", 0.0)

    def recognize(self, image) -> list[OcrLine]:
        return self._lines(self._tsv(image, 3))

    # each question is two more runs of tesseract: asked only of a page that did not read as words
    upside_down_is_costly = True

    def upside_down(self, crops) -> list[bool]:
        """For each line image, whether it reads better turned round."""
        import cv2

        return [self.read_line(cv2.rotate(c, cv2.ROTATE_180))[1] > self.read_line(c)[1] + 0.1 for c in crops]

    def _lines(self, tsv: str) -> list[OcrLine]:
        lines: dict[tuple, list] = {}
        for row in tsv.splitlines()[1:]:
            f = row.split("\t")
            if len(f) < 12 or f[0] != "5" or not f[11].strip():
                continue
            x, y, w, h, conf = int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10])
            lines.setdefault((f[2], f[3], f[4]), []).append((x, y, w, h, conf, f[11]))
        out = []
        for words in lines.values():
            x0 = min(w[0] for w in words)
            y0 = min(w[1] for w in words)
            x1 = max(w[0] + w[2] for w in words)
            y1 = max(w[1] + w[3] for w in words)
            # tesseract puts a space between Chinese characters: keep spaces only between Latin words
            text = ""
            for w in words:
                if text and re.match(r"[0-9A-Za-z]", w[5][0]) and re.search(r"[0-9A-Za-z]$", text):
                    text += " "
                text += w[5]
            out.append(OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), text, min(w[4] for w in words) / 100))
        return out


@lru_cache(maxsize=None)
def get_engine(name: str):
    if name == "rapidocr":
        return RapidOcrEngine()
    if name.startswith("rapidocr-") and name[len("rapidocr-"):] in RAPIDOCR_RUNTIMES:
        return RapidOcrEngine(name[len("rapidocr-"):])
    if name == "tesseract":
        return TesseractEngine()
    raise OcrUnavailable(f"unknown OCR engine {name!r} (choose from {', '.join(ENGINES)})")


def engine_or_error(path: str, name: str):
    try:
        return get_engine(name)
    except OcrUnavailable as exc:
        raise InputError(path, f"needs OCR, but {exc}") from None


def _width(ch: str) -> float:
    return 0.55 if ord(ch) < 0x2E80 else 1.0


def _skew(lines: list[OcrLine]) -> float:
    """The page's text angle (radians), from the top edges of the wider lines: the median."""
    angles = []
    for ln in lines:
        (x0, y0), (x1, y1) = ln.quad[0], ln.quad[1]
        if x1 - x0 > 4 * abs(ln.quad[3][1] - ln.quad[0][1]):
            angles.append(math.atan2(y1 - y0, x1 - x0))
    angles.sort()
    return angles[len(angles) // 2] if angles else 0.0


def _em(row) -> float:
    """The font size of a row, in pixels: a character's advance where the row has enough characters
    (ink boxes are tighter than the em), else the box height."""
    ems = sorted((s[3] - s[2]) / sum(_width(c) for c in s[6]) for s in row if len(s[6]) >= 4)
    return ems[len(ems) // 2] if ems else max(s[1] for s in row) / 0.9


def table_grids(image, angle: float = 0.0) -> list[tuple[list[float], list[float], object]]:
    """Ruled tables on a page image: for each, the y of its horizontal rules, the x of its vertical
    rules, and the 2×3 transform from image pixels into the frame they were found in (long thin strokes
    kept by a morphological opening, on the image turned level by the page's skew `angle`)."""
    import cv2
    import numpy as np

    transform = cv2.getRotationMatrix2D((0, 0), math.degrees(angle), 1.0)
    if abs(angle) > 0.003:  # about 0.2°: rules in a skewed scan break into short steps
        image = cv2.warpAffine(image, transform, (image.shape[1], image.shape[0]), borderValue=(255, 255, 255))
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ink = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -2)
    h, w = ink.shape
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 20), 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(h // 50, 20))))
    contours, _ = cv2.findContours(cv2.bitwise_or(horiz, vert), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)

    def rules(profile, length) -> list[float]:
        idx = np.where(profile > 0.5 * length * 255)[0]
        out, run = [], []
        for i in idx:
            if run and i > run[-1] + 1:
                out.append(sum(run) / len(run))
                run = []
            run.append(int(i))
        if run:
            out.append(sum(run) / len(run))
        return out

    grids = []
    for c in contours:
        x, y, cw, ch = cv2.boundingRect(c)
        if cw < w * 0.3 or ch < h * 0.02:
            continue
        ys = [y + v for v in rules(horiz[y:y + ch, x:x + cw].sum(axis=1), cw)]
        xs = [x + v for v in rules(vert[y:y + ch, x:x + cw].sum(axis=0), ch)]
        if len(ys) >= 3 and len(xs) >= 3:
            grids.append((ys, xs, transform))
    return grids


@dataclass
class OcrPage:
    lines: list[VLine]
    turned: int  # degrees the page image was turned clockwise before reading (0, 90, 180, 270)
    width: float  # the page read, in page units: turned sideways, width and height swap
    height: float


def read_page_image(engine, image, scale: float) -> OcrPage:
    """One page image (BGR pixels) read by `engine`: page lines in page units (pixels / scale), tables
    found on the image turned level by the page's skew. Red seals over the text are taken out first; a
    page scanned sideways or upside down is turned upright (its boxes are then on the turned page); the
    ink past each line's ends and under a 一一 is looked at again (read/ink.py)."""
    from .ink import ink_mask, mark_dashes, recover_line_ends
    from .orient import upright
    from .seal import remove_seals

    image, _ = remove_seals(image)
    degrees, image, found = upright(engine, image, engine.recognize(image))
    ink = ink_mask(image)
    found = mark_dashes(recover_line_ends(image, found, engine.read_line, ink), ink)
    return OcrPage(ocr_page_lines(found, scale, table_grids(image, _skew(found))), degrees,
                   image.shape[1] / scale, image.shape[0] / scale)


def ocr_page_lines(lines: list[OcrLine], scale: float, grids: list | None = None) -> list[VLine]:
    """Engine lines (pixels) → page lines in reading order, in page units (pixels / scale). Lines
    inside a ruled table (`grids`, from table_grids) become one line per row, cell by cell."""
    angle = _skew(lines)
    tan = math.tan(angle)
    segs = []
    for ln in lines:
        text = ln.text.strip()
        if not text:
            continue
        lead = len(ln.text) - len(ln.text.lstrip())
        fixes = tuple((i - lead, meant) for i, meant in ln.fixes if 0 <= i - lead < len(text))
        x0, x1, top, bottom = ln.bounds
        cx = (x0 + x1) / 2
        # the row a segment belongs to is judged with the skew taken out
        level = (top + bottom) / 2 - cx * tan
        height = (bottom - top) - abs(x1 - x0) * abs(tan)
        segs.append((level, max(height, 1.0), x0, x1, top, bottom, text, ln.score, fixes))
    table_lines = []
    for ys, xs, m in grids or []:
        def level(sg):  # a segment's center in the frame the rules were found in
            cx, cy = (sg[2] + sg[3]) / 2, (sg[4] + sg[5]) / 2
            return m[0][0] * cx + m[0][1] * cy + m[0][2], m[1][0] * cx + m[1][1] * cy + m[1][2]

        inside = [sg for sg in segs if xs[0] < level(sg)[0] < xs[-1] and ys[0] < level(sg)[1] < ys[-1]]
        if not inside:
            continue
        segs = [sg for sg in segs if sg not in inside]
        cells: dict[tuple[int, int], list] = {}
        for sg in inside:
            x, y = level(sg)
            cells.setdefault((bisect.bisect(ys, y) - 1, bisect.bisect(xs, x) - 1), []).append(sg)
        for r in sorted({r for r, _ in cells}):
            row = [sorted(cells[(r, c)], key=lambda sg: (sg[0], sg[2])) for c in range(len(xs) - 1) if (r, c) in cells]
            table_lines.append(_table_row_line(row, scale))
    out = []
    for group, bounds in _column_groups(segs):
        out += _rows_to_lines(group, scale, bounds)
    if table_lines:
        out = sorted(out + table_lines, key=lambda ln: ln.top)
    return out


def _spread(seg: tuple, text: list, boxes: list, fixes: list) -> None:
    """Append a segment's characters, each with its share of the segment's box (CJK a full em, Latin
    and digits about half), and its fixes at their offsets in the line."""
    _, _, x0, x1, top, bottom, t, _, seg_fixes = seg
    if seg_fixes:
        base = sum(map(len, text))
        fixes += [(base + i, meant) for i, meant in seg_fixes]
    total = sum(_width(c) for c in t)
    x = x0
    for c in t:
        w = (x1 - x0) * _width(c) / total
        text.append(c)
        boxes.append((x, top, x + w, bottom))
        x += w


def _table_row_line(cells: list[list[tuple]], scale: float) -> VLine:
    """One line for a table row: each cell's lines joined, cells two spaces apart."""
    text, boxes, scores, fixes = [], [], [], []
    for cell in cells:
        if text:
            first = cell[0]
            text.append("  ")
            boxes += [(first[2], first[4], first[2], first[5])] * 2
        for seg in cell:
            _spread(seg, text, boxes, fixes)
            scores.append(seg[7])
    boxes = [tuple(v / scale for v in b) for b in boxes]
    size = sorted(sg[1] for cell in cells for sg in cell)[0] / 0.9 / scale
    return VLine("".join(text), boxes, min(b[0] for b in boxes), max(b[2] for b in boxes), min(b[1] for b in boxes),
                 max(b[3] for b in boxes), size, table_row=True, score=min(scores), fixes=fixes or None)


def _column_groups(segs: list[tuple]) -> list[tuple[list, tuple | None]]:
    """Segments in reading order groups: one group for a one-column page; for two columns of text, the
    left column then the right one, band by band between lines that span both (a title across the
    page). Each group comes with its column's (left, right) edges, None for the whole page."""
    if len(segs) < 8:
        return [(segs, None)]
    lo, hi = min(s[2] for s in segs), max(s[3] for s in segs)
    width = hi - lo
    em = sorted(s[1] for s in segs)[len(segs) // 2]
    # the gutter: the place in the middle of the block that the fewest segments cross (a title
    # across both columns may); the widest such stretch, at least an em wide
    steps = [lo + width * (0.25 + 0.5 * k / 200) for k in range(201)]
    crossing = [sum(1 for s in segs if s[2] < x < s[3]) for x in steps]
    least = min(crossing)
    if least > max(1, len(segs) // 10):
        return [(segs, None)]
    best, run = None, None
    for x, n in zip(steps + [None], crossing + [None]):
        if n == least:
            run = (run[0], x) if run else (x, x)
            continue
        if run and (best is None or run[1] - run[0] > best[1] - best[0]):
            best = run
        run = None
    if best is None or best[1] - best[0] < em * 0.75:
        return [(segs, None)]
    gutter = (best[0] + best[1]) / 2
    left = [s for s in segs if s[3] <= gutter]
    right = [s for s in segs if s[2] >= gutter]

    def text_column(side, edge, at_edge) -> bool:
        if len(side) < 4 or sorted(len(s[6]) for s in side)[len(side) // 2] < 8:
            return False  # table cells, not lines of running text
        return sum(1 for s in side if abs(at_edge(s) - edge) <= 1.5 * em) >= 0.6 * len(side)

    # two text columns: lines on the left end at one edge, lines on the right start at one edge
    if not (text_column(left, max(s[3] for s in left), lambda s: s[3])
            and text_column(right, min(s[2] for s in right), lambda s: s[2])):
        return [(segs, None)]
    lb = (min(s[2] for s in left), max(s[3] for s in left))
    rb = (min(s[2] for s in right), max(s[3] for s in right))
    groups: list[tuple[list, tuple | None]] = []
    band_l, band_r = [], []
    for s in sorted(segs, key=lambda s: (s[0], s[2])):
        if s[3] <= gutter:
            band_l.append(s)
        elif s[2] >= gutter:
            band_r.append(s)
        else:  # spans the gutter: the band above is done
            groups += [(g, b) for g, b in ((band_l, lb), (band_r, rb)) if g]
            band_l, band_r = [], []
            groups.append(([s], None))
    groups += [(g, b) for g, b in ((band_l, lb), (band_r, rb)) if g]
    return groups


def _rows_to_lines(segs: list[tuple], scale: float, bounds: tuple | None) -> list[VLine]:
    segs = sorted(segs, key=lambda s: (s[0], s[2]))
    rows: list[list] = []
    for s in segs:
        if rows and abs(s[0] - rows[-1][0][0]) <= min(s[1], rows[-1][0][1]) * 0.5:
            rows[-1].append(s)
        else:
            rows.append([s])
    out = []
    for row in rows:
        row.sort(key=lambda s: s[2])
        text, boxes, scores, fixes = [], [], [], []
        size = max(s[1] for s in row)
        prev = None
        for seg in row:
            x0, x1, top, bottom = seg[2:6]
            if prev is not None and x0 - prev > size * 1.5:
                text.append("  ")  # a column gap
                boxes += [(prev, top, x0, bottom)] * 2
            _spread(seg, text, boxes, fixes)
            scores.append(seg[7])
            prev = x1
        boxes = [tuple(v / scale for v in b) for b in boxes]
        line = VLine("".join(text), boxes, boxes[0][0], boxes[-1][2], min(b[1] for b in boxes), max(b[3] for b in boxes),
                     _em(row) / scale, score=min(scores), fixes=fixes or None)
        if bounds is not None:
            line.column = (bounds[0] / scale, bounds[1] / scale)
        out.append(line)
    return out


# O/o/〇 and l/I/| read where a digit belongs: only between or beside Arabic digits, never inside a Latin
# word (ISO9001, PM2.5 keep their letters)
_CONFUSABLE = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1", "|": "1"}
_CONFUSION_RE = re.compile(r"(?<![A-Za-z])(?:(?:(?<=[0-9])|(?<=[0-9][.．]))[Oo〇lI|]|[Oo〇lI|](?=[.．]?[0-9]))(?![A-Za-z])")


def digit_confusions(text: str) -> list[tuple[int, str, str]]:
    """(offset, read, meant) for every letter OCR put where a digit stands: 2O20年 → 2020年."""
    return [(m.start(), m.group(), _CONFUSABLE[m.group()]) for m in _CONFUSION_RE.finditer(text)]


_HAN = r"[\u3400-\u9fff（）《》“”、，。：；]"
# half-width punctuation the engine returns in Chinese text, where the page has the full-width form
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCT_RE = re.compile(rf"(?<={_HAN})[,:;?!]|[,:;?!](?={_HAN})(?<![0-9A-Za-z][,:;?!])|(?<={_HAN})\((?=[^)\n]{{0,30}}\))"
                       rf"|\((?={_HAN}[^)\n]{{0,30}}\))|(?<=（[^）\n]{{1}})\)|(?<={_HAN})\)")


def punctuation_confusions(text: str) -> list[tuple[int, str, str]]:
    """(offset, read, meant) for half-width punctuation in Chinese text (, : ; ? ! ( ) and straight
    quotes, paired open and close on each line), which the page sets full width, and a single closing
    quote that closes a double one."""
    out = [(m.start(), m.group(), _HALF_TO_FULL[m.group()]) for m in _PUNCT_RE.finditer(text)]
    fixed = {at: new for at, _, new in out}
    for line in re.finditer(r"[^\n]+", text):
        opened = False
        for q in re.finditer('"', line.group()):
            at = line.start() + q.start()
            near = text[at - 1:at] + text[at + 1:at + 2]
            if not re.search(_HAN, near):
                continue
            fixed[at] = "”" if opened else "“"
            out.append((at, '"', fixed[at]))
            opened = not opened
        out += _single_for_double(text, line, fixed)
    return sorted(out)


def _single_for_double(text: str, line, fixed: dict[int, str]) -> list[tuple[int, str, str]]:
    """A ’ that closes a “ (no ‘ open) is the engine's reading of ”: 快递小哥’ after “."""
    out, stack = [], []
    for k, ch in enumerate(line.group()):
        at = line.start() + k
        ch = fixed.get(at, ch)
        if ch in "“‘":
            stack.append(ch)
        elif ch == "”" and stack:
            stack.pop()
        elif ch == "’" and stack:
            if stack.pop() == "“":
                out.append((at, "’", "”"))
    return out


MIN_WORD_FREQ = 20  # a look-alike must make a word at least this common in jieba's dictionary
BOUND_FREQ = 100  # a character rarer than this as a word of its own stands alone only by mistake


def lookalike_confusions(text: str) -> list[tuple[int, str, str]]:
    """(offset, read, meant) for a Han character read as its look-alike (币帼 → 巾帼): the character
    stands alone in jieba's segmentation, and its look-alike makes a dictionary word with neighbours
    that stand alone too and are bound characters, seldom a word by themselves (帼). A neighbour that is
    a word of its own (个入河 stays, not 个人河) or part of one (由请示 stays) is never taken, and a
    surname is never changed (王立群 stays)."""
    import jieba

    from ..lexicons import lookalikes, surnames
    from ..segment import word_freq

    single_surnames = surnames()[0]
    similar = {c: alts for c, alts in lookalikes().items() if c not in single_surnames}
    freq = word_freq()
    out = []
    for line in re.finditer(r"[^\n]+", text):
        s = line.group()
        if not any(c in similar for c in s):
            continue
        alone, pos = [False] * len(s), 0
        for w in jieba.lcut(s, HMM=False):
            if len(w) == 1:
                alone[pos] = True
            pos += len(w)
        for p, c in enumerate(s):
            if not alone[p] or c not in similar:
                continue
            best = None
            for alt in similar[c]:
                for n in (2, 3, 4):
                    for a in range(max(0, p - n + 1), min(p, len(s) - n) + 1):
                        window = s[a:a + n]
                        if not all(alone[a:a + n]) or not all("\u4e00" <= ch <= "\u9fff" for ch in window):
                            continue
                        if any(freq(ch) >= BOUND_FREQ for k, ch in enumerate(window) if a + k != p):
                            continue
                        word = window[:p - a] + alt + window[p - a + 1:]
                        f = freq(word)
                        context = s[max(0, a - 3):a] + word + s[a + n:a + n + 3]
                        if f >= MIN_WORD_FREQ and word in jieba.lcut(context, HMM=False) and (best is None or f > best[0]):
                            best = (f, alt)
            if best:
                out.append((line.start() + p, c, best[1]))
    return out


def ocr_confusions(text: str) -> list[tuple[int, str, str]]:
    # 丨 (a radical, never running text) is how the engine reads a field separator |
    bars = [(m.start(), "丨", "|") for m in re.finditer("丨", text)]
    return sorted(digit_confusions(text) + punctuation_confusions(text) + bars + lookalike_confusions(text))
