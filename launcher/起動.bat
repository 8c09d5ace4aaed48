@echo off
rem 経営改善計画策定支援ナビ（オフライン版）を、このパソコンの中だけで表示します。
rem Python 3 が必要です（https://www.python.org/ から入手できます）。
cd /d "%~dp0"
where py >nul 2>nul && (py -3 serve.py & goto :eof)
python serve.py
pause
