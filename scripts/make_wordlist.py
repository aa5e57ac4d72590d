#!/usr/bin/env python3
"""Build publish/data/words.txt.gz, the word list with frequencies the
normalizer segments with to see a word running across a column break, from
jieba's dictionary (MIT licence).

usage: make_wordlist.py path/to/jieba/dict.txt [--min-freq N]

Keeps every single Han character and the words of two to four Han characters
with a frequency of at least N, as "word frequency part-of-speech" lines, sorted,
gzip-compressed without a timestamp (reproducible).
"""
import argparse
import gzip
import re
from pathlib import Path

HAN = re.compile(r'[\u4e00-\u9fff]{1,4}')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('dict')
    ap.add_argument('--min-freq', type=int, default=3)
    ap.add_argument('--out', default=str(Path(__file__).parent.parent / 'publish/data/words.txt.gz'))
    a = ap.parse_args()
    words: dict[str, tuple[int, str]] = {}
    for line in Path(a.dict).read_text(encoding='utf-8').splitlines():
        word, freq, tag = line.split(' ')
        if HAN.fullmatch(word) and (len(word) == 1 or int(freq) >= a.min_freq):
            words[word] = (words.get(word, (0, tag))[0] + int(freq), tag)
    data = '\n'.join(f'{w} {f} {t}' for w, (f, t) in sorted(words.items())).encode('utf-8')
    with open(a.out, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0, filename='') as gz:
        gz.write(data)
    print(f'{len(words)} words → {a.out}')


if __name__ == '__main__':
    main()
