"""Held-out scoring through the user's own commands: for each fold seed,
the outlets (the "source" field) of dev.jsonl + train.jsonl are split into
5 folds, or FOLDS from the environment (arXiv papers spread over them); for each fold,
`triagebot retrain -from OTHER_FOLDS -alone -seed` trains in a fresh data_dir
(-alone: the shipped model, which -from would adapt, learned the held-out items) and
`triagebot classify -` labels the held-out fold; ../shared/eval/score then
scores the pooled verdicts (all items, and the clear ones).

  python3 docs/score-heldout.py TRIAGEBOT EVAL_DIR SEED [SEED...]
  FOLDS=10 python3 docs/score-heldout.py TRIAGEBOT EVAL_DIR SEED [SEED...]
"""
import json, random, subprocess, os, sys, statistics, shutil, tempfile
TB, EV = os.path.abspath(sys.argv[1]), sys.argv[2]
K = int(os.environ.get('FOLDS', '5'))
W = tempfile.mkdtemp(prefix='heldout-')
rows=[json.loads(l) for f in ['dev.jsonl','train.jsonl'] for l in open(f'{EV}/{f}')]
# ids are unique across both files? make them unique
seen=set()
for i,r in enumerate(rows):
    if r['id'] in seen: r['id']=f"{r['id']}-{i}"
    seen.add(r['id'])
def write(path, rs):
    with open(path,'w') as f:
        for r in rs: f.write(json.dumps(r, ensure_ascii=False)+'\n')
write(f'{W}/all.jsonl', rows)
write(f'{W}/clear.jsonl', [r for r in rows if not r.get('ambiguous')])
res=[]
for seed in [int(s) for s in sys.argv[3:]]:
    rnd=random.Random(seed)
    srcs=sorted({r['source'] for r in rows if r.get('source_kind')!='paper'}); rnd.shuffle(srcs)
    fold={s:i%K for i,s in enumerate(srcs)}
    papers=[r for r in rows if r.get('source_kind')=='paper']; rnd.shuffle(papers)
    pf={r['id']:i%K for i,r in enumerate(papers)}
    f_of=lambda r: pf[r['id']] if r.get('source_kind')=='paper' else fold[r['source']]
    preds=[]
    for k in range(K):
        d=f'{W}/s{seed}f{k}'; shutil.rmtree(d, ignore_errors=True); os.makedirs(d)
        open(f'{d}/config.yaml','w').write(f'data_dir: {d}/data\nfeeds: []\n')
        write(f'{d}/train.jsonl',[r for r in rows if f_of(r)!=k])
        test=[{x:r.get(x) for x in ('id','title','summary','url','source','source_kind','lang') if r.get(x) is not None} for r in rows if f_of(r)==k]
        write(f'{d}/test.jsonl',test)
        subprocess.run([TB,'-config',f'{d}/config.yaml','retrain','-from',f'{d}/train.jsonl','-alone','-seed'],check=True,capture_output=True)
        out=subprocess.run([TB,'-config',f'{d}/config.yaml','classify','-'],stdin=open(f'{d}/test.jsonl'),check=True,capture_output=True,text=True).stdout
        preds+= [l for l in out.splitlines() if l.strip()]
    open(f'{W}/preds{seed}.jsonl','w').write('\n'.join(preds)+'\n')
    a=json.loads(subprocess.run([f'{EV}/score',f'{W}/all.jsonl',f'{W}/preds{seed}.jsonl','--json'],check=True,capture_output=True,text=True).stdout)
    c=json.loads(subprocess.run([f'{EV}/score',f'{W}/clear.jsonl',f'{W}/preds{seed}.jsonl','--json'],check=True,capture_output=True,text=True).stdout)
    gold={r['id']:r['label'] for r in rows}; kind={r['id']:r.get('source_kind') for r in rows}
    nb=[p for p in map(json.loads, preds) if kind[p['id']]!='paper']
    hi=[p for p in nb if p.get('confidence',0)>=0.8]
    r=(a['news+blog']['macro_f1'], c['news+blog']['macro_f1'], a['paper']['macro_f1'],
       sum(p['label']==gold[p['id']] for p in hi)/len(hi), len(hi)/len(nb))
    res.append(r)
    print(f'seed {seed}: news+blog macro-F1 {r[0]:.3f}, clear {r[1]:.3f}, arXiv {r[2]:.3f}, '
          f'confidence >= 0.8: {r[3]:.1%} right on {r[4]:.1%}', flush=True)
if len(res) > 1:
    f=lambda i: f'{statistics.mean(x[i] for x in res):.3f} ± {statistics.stdev(x[i] for x in res):.3f}'
    print(f'mean ± sd over {len(res)} seeds: news+blog {f(0)}, clear {f(1)}, arXiv {f(2)}, '
          f'confident right {f(3)} on {f(4)}')
shutil.rmtree(W)
