#!/usr/bin/env python3
"""Mutation fuzzing of the shipped YAML inputs: copies scenarios/ and rules/ to a scratch folder,
mutates one file at random (deleted spans, inserted YAML tokens, swapped or repeated lines), then
runs `villagegrid check` and, when the check passes, `villagegrid run --replicates 2`. Any exit
status other than 0 or 2, an exit 2 without an error message, or a run past 60 s is reported and
the input kept as /tmp/fuzz/bad-* or timeout-*. Seeded, so a failure can be replayed.

Usage: tools/fuzz-inputs.py [SEED] [ITERATIONS]   (build first: tools/setup.sh)
"""
import os
import random
import shutil
import subprocess
import sys

os.makedirs('/tmp/fuzz', exist_ok=True)
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bin_ = os.environ.get('VILLAGEGRID_BIN', root + '/build/src/cli/villagegrid')
srcs = ['scenarios/pushan-2020.yaml', 'scenarios/pushan-2020-guidelines.yaml', 'rules/returnees.yaml', 'rules/detection.yaml',
        'rules/supplies.yaml', 'rules/guidelines.yaml', 'rules/vocabulary.yaml', 'rules/tracking/five-plus-one.yaml',
        'scenarios/grids/three-level.yaml', 'scenarios/maoming-prefecture.yaml']
tokens = [':', '-', '{', '}', '[', ']', ',', '"', "'", '&a', '*a', '!!str', '#', '\t', ' ', '\n', '0', '-1', '1e9', 'null', '~', 'true', '99999999999999999999', '\xe4\xb8\xad', '|', '>', '?']
bad = 0
for it in range(int(sys.argv[2]) if len(sys.argv) > 2 else 200):
    work = '/tmp/fuzz/w'
    if os.path.exists(work): shutil.rmtree(work)
    shutil.copytree(root + '/scenarios', work + '/scenarios')
    shutil.copytree(root + '/rules', work + '/rules')
    target = random.choice(srcs)
    p = work + '/' + target
    text = open(p, encoding='utf-8').read()
    for _ in range(random.randint(1, 4)):
        op = random.random()
        i = random.randrange(len(text) + 1)
        if op < 0.3:
            j = min(len(text), i + random.randint(1, 30)); text = text[:i] + text[j:]
        elif op < 0.6:
            text = text[:i] + random.choice(tokens) + text[i:]
        elif op < 0.8:
            lines = text.split('\n'); a = random.randrange(len(lines)); b = random.randrange(len(lines)); lines[a], lines[b] = lines[b], lines[a]; text = '\n'.join(lines)
        else:
            lines = text.split('\n'); a = random.randrange(len(lines)); lines.insert(a, lines[a]); text = '\n'.join(lines)
    open(p, 'w', encoding='utf-8').write(text)
    scen = work + '/' + (target if target.startswith('scenarios/') and 'grids' not in target else 'scenarios/pushan-2020-guidelines.yaml')
    for cmd in ([bin_, 'check', scen], [bin_, 'run', scen, '--replicates', '2', '--out', work + '/out', '--quiet']):
        try:
            r = subprocess.run(cmd, capture_output=True, timeout=60)
        except subprocess.TimeoutExpired:
            print('TIMEOUT', target, cmd[1]); bad += 1; shutil.copy(p, f'/tmp/fuzz/timeout-{it}.yaml'); continue
        if r.returncode not in (0, 2) or (r.returncode == 2 and b'error' not in r.stderr):
            bad += 1
            print('BAD rc', r.returncode, target, cmd[1], r.stderr[-300:])
            shutil.copy(p, f'/tmp/fuzz/bad-{it}-{os.path.basename(target)}')
        if cmd[1] == 'check' and r.returncode != 0: break
print('done, bad =', bad)
