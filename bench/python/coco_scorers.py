"""Benchmark peer for `ccw eval-captions`: pycocoevalcap's PTB tokenizer and Bleu, Rouge and Cider scorers on
COCO caption files, as the COCO caption toolkit runs them. Usage: coco_scorers.py <captions.json> <results.json>.
Prints the corpus scores as one JSON line on stdout (bench/cli.bench.ts times the whole process); what the
scorers print themselves (Bleu's length totals) goes to stderr.

pycocoevalcap's PTBTokenizer runs `java -cp stanford-corenlp-3.4.1.jar`, a jar that the package's Python sources
do not carry. When that jar lies next to ptbtokenizer.py, PTBTokenizer runs as the toolkit runs it and the JSON
line says "tokenizer": "ptb-java". Otherwise the captions are tokenised here by a stand-in ("python-stand-in"),
written for plain captions like the benchmark's: lower-case; split into words (letters and digits, keeping inner
hyphens and apostrophes), runs of dots or dashes and single punctuation marks; split the clitics PTB splits
("n't", "'s", "'re", "'ll", "'ve", "'m", "'d"); map brackets to PTB's escapes; then drop the tokens on
pycocoevalcap's own PUNCTUATIONS list, as PTBTokenizer.tokenize does after the jar has run. It is not the Stanford
lexer: abbreviations, initialisms, numbers with separators and quotes are not treated as the lexer treats them.
"""
import contextlib
import json
import os
import re
import sys

from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider
from pycocoevalcap.rouge.rouge import Rouge
from pycocoevalcap.tokenizer import ptbtokenizer
from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

_JAR = os.path.join(os.path.dirname(os.path.abspath(ptbtokenizer.__file__)), ptbtokenizer.STANFORD_CORENLP_3_4_1_JAR)

_TOKEN = re.compile(r"[^\W_]+(?:[-'&/][^\W_]+)*|\.{2,}|-{2,}|\S")
_CLITIC = re.compile(r"^(.+?)(n't|'s|'re|'ll|'ve|'m|'d)$")
_ESCAPES = {"(": "-LRB-", ")": "-RRB-", "{": "-LCB-", "}": "-RCB-", "[": "-LSB-", "]": "-RSB-", '"': "''"}


def _stand_in_tokens(text: str) -> list:
    tokens = []
    for token in _TOKEN.findall(text.replace("\n", " ").lower()):
        if re.fullmatch(r"\.{2,}", token):
            token = "..."
        token = _ESCAPES.get(token, token)
        clitic = _CLITIC.match(token)
        tokens.extend(clitic.groups() if clitic else (token,))
    return [t for t in tokens if t not in ptbtokenizer.PUNCTUATIONS]


def _stand_in_tokenize(captions_for_image: dict) -> dict:
    """Same shape as PTBTokenizer.tokenize: {image_id: [tokenised caption joined by single spaces, ...]}."""
    return {k: [" ".join(_stand_in_tokens(c["caption"])) for c in v] for k, v in captions_for_image.items()}


def main(annotations_path: str, results_path: str) -> None:
    with open(annotations_path) as f:
        annotations = json.load(f)["annotations"]
    with open(results_path) as f:
        results = json.load(f)
    wanted = {r["image_id"] for r in results}
    gts: dict = {}
    for a in annotations:
        if a["image_id"] in wanted:
            gts.setdefault(a["image_id"], []).append({"caption": a["caption"]})
    res = {r["image_id"]: [{"caption": r["caption"]}] for r in results}
    with contextlib.redirect_stdout(sys.stderr):
        if os.path.exists(_JAR):
            tokenizer_name = "ptb-java"
            tokenizer = PTBTokenizer()
            gts, res = tokenizer.tokenize(gts), tokenizer.tokenize(res)
        else:
            tokenizer_name = "python-stand-in"
            gts, res = _stand_in_tokenize(gts), _stand_in_tokenize(res)
        scores = {}
        bleu, _ = Bleu(4).compute_score(gts, res)
        scores.update({f"BLEU-{k + 1}": float(b) for k, b in enumerate(bleu)})
        rouge, _ = Rouge().compute_score(gts, res)
        scores["ROUGE-L"] = float(rouge)
        cider, _ = Cider().compute_score(gts, res)
        scores["CIDEr"] = float(cider)
    scores["tokenizer"] = tokenizer_name
    print(json.dumps(scores))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
