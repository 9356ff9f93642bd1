#!/bin/sh
# Regenerates demo.jsonl.gz from the shared corpora (run from this directory,
# with ../shared beside the repository): every 80th CCTV story and every 20th
# Sina article, about 400 real articles.
set -e
shared=../../../shared
{
	xz -dc "$shared/corpus/cctv-xwlb-2022-2026.jsonl.xz" | awk 'NR%80==1'
	xz -dc "$shared/corpus/sina-2018-sample.jsonl.xz" | awk 'NR%20==1'
} | gzip -9n > demo.jsonl.gz
cp "$shared/samples/gscn-2020-09-28-qingshui.txt" .
