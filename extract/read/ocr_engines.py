"""OCR engines: a page image (H×W×3 uint8, BGR) → text lines, each a box, the text and a score.

The default is RapidOCR 1.4 (its wheels ship the ONNX models: nothing is downloaded), on OpenVINO when
installed, else onnxruntime; Debian's tesseract with chi_sim can be chosen instead. The rest of the
reader knows an engine only by `recognize`, `read_line`, `upside_down` and `name`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import InputError

# the engines and RapidOCR's runtimes are named in the reader registry, which the command's choices and
# ReadOptions take them from without loading this module
from . import ENGINES, RAPIDOCR_RUNTIMES
from ..layout import LOW_CONFIDENCE


@dataclass(frozen=True)
class OcrLine:
    """A text line as an engine reads it: its quad, its text and its score (0-1)."""

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

    infer_engine: Any = importlib.import_module("rapidocr_openvino.utils.infer_engine")
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
# the items' low-confidence mark (layout.LOW_CONFIDENCE, 0.9; scores moved by up to 0.019 on the
# sample pages), so that no item's mark depends on the CPU. On the 48 sample scans the readings, CER
# and facts recall are those of f32; the scores of the lines not read again differ from f32's in the
# third decimal (README, "OCR runtimes and speed")
RECOGNIZER_PRECISION = "bf16"
RECHECK_STEP_BELOW = 0.8
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
        near_mark = np.abs(score - LOW_CONFIDENCE) < RECHECK_NEAR_MARK
        return np.flatnonzero((best.min(axis=1) < RECHECK_STEP_BELOW) | near_mark)

    def __call__(self, batch):
        probs = self.fast(batch)
        unsure = self._unsure(probs)
        if len(unsure):
            probs = probs.copy()  # the request's own output buffer
            probs[unsure] = self.full(batch[unsure])
        return probs


def recognizer_compiled_in(module, precision: str):
    """rapidocr_openvino's recognizer model (in `module`'s wheel) compiled for `precision`, as a
    function from a batch of line images to the steps' probabilities; None where the CPU lacks it."""
    from pathlib import Path

    from openvino.runtime import Core

    core = Core()
    if precision.upper() not in core.get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
        return None
    model = core.read_model(str(Path(module.__file__).parent / "models" / "ch_PP-OCRv4_rec_infer.onnx"))
    request = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": precision}).create_infer_request()

    def read(batch):
        request.infer(inputs=[batch])
        return request.get_output_tensor().data

    return read


def _recognizer_in_precision(recognizer, module, precision: str) -> None:
    """Run rapidocr_openvino's recognizer in `precision`, checked in f32, where the CPU has it."""
    fast = recognizer_compiled_in(module, precision)
    if fast is not None:
        recognizer.session = _RecognizerCheckedInFullPrecision(fast, recognizer.session)


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
    """RapidOCR on the runtime named, else the first installed of OpenVINO and onnxruntime; OcrUnavailable
    when none is."""

    def __init__(
        self,
        runtime: str | None = None,
        line_classifier: bool = False,
        detector_long_side: int | None = None,
        recognizer_precision: str | None = RECOGNIZER_PRECISION,
    ):
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
            detector.get_preprocess = lambda longest, made=detector.get_preprocess: _DetectorInput(
                made(longest), detector_long_side
            )
            if name == "openvino" and recognizer_precision:
                _recognizer_in_precision(self._engine.text_rec, module, recognizer_precision)
            return
        raise OcrUnavailable(
            f"rapidocr is not available ({'; '.join(tried)}): pip install 'bulletin-extract[ocr]'"
            " (on slim Debian images also apt-get install libgl1 libglib2.0-0)"
        )

    def recognize(self, image) -> list[OcrLine]:
        """The page image's text lines; none for a blank page."""
        result, _ = self._engine(image)
        if not result:  # a blank page gives (None, None)
            return []
        return [
            OcrLine(tuple((float(x), float(y)) for x, y in quad), text, float(score)) for quad, text, score in result
        ]

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
    """Debian's tesseract, run as a subprocess on each image (chi_sim by default); OcrUnavailable when it or
    the language's data is not installed."""

    name = "tesseract"

    def __init__(self, lang: str = "chi_sim"):
        exe = shutil.which("tesseract")
        if not exe:
            raise OcrUnavailable("tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim")
        self._exe = exe
        langs = subprocess.run([self._exe, "--list-langs"], capture_output=True, text=True).stdout.split()
        if lang not in langs:
            raise OcrUnavailable(f"tesseract has no {lang} data: apt-get install tesseract-ocr-chi-sim")
        self._lang = lang

    def _tsv(self, image, psm: int) -> str:
        import cv2

        ok, png = cv2.imencode(".png", image)
        # one thread per process: tesseract's OpenMP threads only slow it down on small machines
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        run = subprocess.run(
            [self._exe, "stdin", "stdout", "-l", self._lang, "--psm", str(psm), "tsv"],
            input=png.tobytes(),
            capture_output=True,
            env=env,
            timeout=600,
        )
        return run.stdout.decode("utf-8", "replace")

    def read_line(self, image) -> tuple[str, float]:
        """One line's image read as a single line (--psm 7): its text and score, ("", 0.0) when nothing is read."""
        lines = self._lines(self._tsv(image, 7))
        return (lines[0].text, lines[0].score) if lines else ("", 0.0)

    def recognize(self, image) -> list[OcrLine]:
        """The page image's text lines (--psm 3), each scored by its least confident word."""
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


@cache
def get_engine(name: str):
    """The engine of that name (one of ENGINES), made once per process; OcrUnavailable for another name or
    an engine not installed."""
    if name == "rapidocr":
        return RapidOcrEngine()
    if name.startswith("rapidocr-") and name[len("rapidocr-") :] in RAPIDOCR_RUNTIMES:
        return RapidOcrEngine(name[len("rapidocr-") :])
    if name == "tesseract":
        return TesseractEngine()
    raise OcrUnavailable(f"unknown OCR engine {name!r} (choose from {', '.join(ENGINES)})")


def engine_or_error(path: str, name: str):
    """get_engine(name), its OcrUnavailable raised as an InputError of `path` (needs OCR, but …)."""
    try:
        return get_engine(name)
    except OcrUnavailable as exc:
        raise InputError(path, f"needs OCR, but {exc}") from None
