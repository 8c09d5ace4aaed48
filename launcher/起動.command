#!/bin/sh
# 経営改善計画策定支援ナビ（オフライン版）を、このパソコンの中だけで表示します（macOS / Linux）。
cd "$(dirname "$0")" && exec python3 serve.py
