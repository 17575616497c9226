#!/usr/bin/env python3
"""Generates kumo's compact AWS models from botocore's published service definitions.

Maintainer-only step (the output is committed). Run: npm run gen:models
Reads every service-2.json.gz of the installed botocore (newest API version per service),
drops documentation and examples, applies scripts/model-overrides.json (facts botocore lacks,
taken from AWS's API references), and writes models/<id>.json.gz plus models/index.json.
"""
import glob
import gzip
import json
import os
import sys

import botocore

DROP = {'documentation', 'documentationUrl', 'examples', 'deprecatedMessage', 'deprecatedSince'}
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'models')
# Services whose state AWS keeps per account rather than per region.
GLOBAL = {'iam', 'organizations', 'route53', 'cloudfront', 'waf', 'shield', 'globalaccelerator'}


def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in DROP}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o


def merge(base, extra):
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            merge(base[k], v)
        else:
            base[k] = v


def main():
    data = os.path.join(os.path.dirname(botocore.__file__), 'data')
    with open(os.path.join(HERE, 'model-overrides.json')) as f:
        overrides = json.load(f)
    os.makedirs(OUT, exist_ok=True)
    for old in glob.glob(os.path.join(OUT, '*.json.gz')):
        os.remove(old)
    index = []
    for sid in sorted(os.listdir(data)):
        versions = sorted(glob.glob(os.path.join(data, sid, '*', 'service-2.json.gz')))
        if not versions:
            continue
        with gzip.open(versions[-1]) as f:
            model = strip(json.load(f))
        merge(model, overrides.get(sid, {}))
        meta = model['metadata']
        protocols = meta.get('protocols') or [meta['protocol']]
        entry = {
            'id': sid,
            'apiVersion': meta['apiVersion'],
            'protocols': protocols,
            'signingName': meta.get('signingName') or meta['endpointPrefix'],
            'endpointPrefix': meta['endpointPrefix'],
            'serviceId': meta['serviceId'],
        }
        for k in ('targetPrefix', 'jsonVersion'):
            if k in meta:
                entry[k] = meta[k]
        if 'smithy-rpc-v2-cbor' in protocols:
            entry['smithyName'] = meta.get('targetPrefix')
        if 'awsQueryCompatible' in meta:
            entry['awsQueryCompatible'] = True
        if sid in GLOBAL:
            entry['global'] = True
        index.append(entry)
        out = {'_generated': 'by scripts/gen-models.py from botocore ' + botocore.__version__ + '; do not edit',
               'id': sid, 'metadata': meta, 'operations': model['operations'], 'shapes': model['shapes']}
        # Member order is kept as published: XML protocols serialize members in model order.
        raw = json.dumps(out, separators=(',', ':')).encode()
        # mtime=0 keeps the committed files byte-identical across runs.
        with open(os.path.join(OUT, sid + '.json.gz'), 'wb') as f:
            f.write(gzip.compress(raw, compresslevel=9, mtime=0))
    with open(os.path.join(OUT, 'index.json'), 'w') as f:
        json.dump({'_generated': 'by scripts/gen-models.py from botocore ' + botocore.__version__ + '; do not edit',
                   'services': index}, f, separators=(',', ':'), sort_keys=True)
        f.write('\n')
    print(f'wrote {len(index)} service models to models/', file=sys.stderr)


if __name__ == '__main__':
    main()
