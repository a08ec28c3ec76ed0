"""Benchmark peer for `ccw eval-captions`: pycocoevalcap's PTB tokenizer and Bleu, Rouge and Cider scorers on
COCO caption files, as the COCO caption toolkit runs them. Usage: coco_scorers.py <captions.json> <results.json>.
Prints the corpus scores as one JSON line (bench/cli.bench.ts times the whole process)."""
import json
import sys

from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider
from pycocoevalcap.rouge.rouge import Rouge
from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer


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
    tokenizer = PTBTokenizer()
    gts, res = tokenizer.tokenize(gts), tokenizer.tokenize(res)
    scores = {}
    bleu, _ = Bleu(4).compute_score(gts, res)
    scores.update({f"BLEU-{k + 1}": b for k, b in enumerate(bleu)})
    scores["ROUGE-L"], _ = Rouge().compute_score(gts, res)
    scores["CIDEr"], _ = Cider().compute_score(gts, res)
    print(json.dumps(scores))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
