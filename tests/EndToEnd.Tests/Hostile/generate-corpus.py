import json, random, os
random.seed(20261126)
out = 'corpus'
for f in os.listdir(out): os.remove(os.path.join(out,f))
manifest = []  # (file, topic, expect)
n = [0]
AG = 'hostile-1'
R = f'clovers/v1/agents/{AG}/readings'
S = f'clovers/v1/agents/{AG}/status'
H = 'clovers/v1/daq/hostile-daq/histograms'
seq = [5_000_000]
def nextseq():
    seq[0] += 1
    return seq[0]
def add(name, topic, data, expect):
    n[0] += 1
    fn = f'{n[0]:03d}-{name}.{"bin" if isinstance(data, bytes) else "json"}'
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(os.path.join(out, fn), mode, **({} if isinstance(data, bytes) else {'encoding':'utf-8','newline':'\n'})) as f:
        f.write(data)
    manifest.append((fn, topic, expect))
NOW = '{{NOW}}'
def batch(readings, **over):
    b = {"schema":1,"agentId":AG,"seq":nextseq(),"sentAt":NOW,"readings":readings}
    b.update(over)
    return json.dumps(b, ensure_ascii=False)
def rd(ch, v=1.0, ts=NOW):
    return {"channel":ch,"timestamp":ts,"value":v}

# 1. random bytes (40)
for i in range(40):
    size = random.choice([1,2,3,7,16,64,255,1024,4096])
    data = bytes(random.getrandbits(8) for _ in range(size))
    if data[:1] in (b'{', b'['): data = b'\xff' + data[1:]
    add(f'random-bytes-{size}', R if i % 4 else H, data, 'malformed-json' if i % 4 else 'daq')
# 2. deep nesting (12)
for d in [17, 32, 64, 128, 1000, 5000]:
    add(f'deep-array-{d}', R, '['*d + ']'*d, 'malformed-json')
    add(f'deep-object-{d}', R, '{"schema":1,"agentId":"hostile-1","seq":1,"sentAt":"2026-01-01T00:00:00Z","readings":[],"x":' + '{"a":'*d + '1' + '}'*d + '}', 'malformed-json')
# 3. huge arrays (6)
for k in [5001, 6000]:
    add(f'too-many-readings-{k}', R, batch([rd('cryo.ln2.level', float(i)) for i in range(k)]), 'too-many-readings')
add('huge-number-array-100k', R, json.dumps({"schema":1,"agentId":AG,"seq":nextseq(),"sentAt":NOW,"readings":[], "junk":list(range(100000))}), 'accepted-empty')
add('readings-of-numbers-50k', R, batch(list(range(50000))), 'malformed-json')
add('readings-of-nulls-4000', R, batch([None]*4000), 'readings-bad-channel-id:4000')
add('readings-empty-objects-3000', R, batch([{}]*3000), 'rejected')
# 4. NaN / Infinity (12)
for lit in ['NaN', 'Infinity', '-Infinity', '1e999', '-1e999', '"NaN"', '"Infinity"', 'nan', 'inf', '1e308e2', '0x10', '.5']:
    body = '{"schema":1,"agentId":"hostile-1","seq":%d,"sentAt":"{{NOW}}","readings":[{"channel":"cryo.ln2.level","timestamp":"{{NOW}}","value":%s}]}' % (nextseq(), lit)
    add('value-' + ''.join(c for c in lit if c.isalnum() or c=='-'), R, body, 'rejected')
# 5. wrong types (32)
wrong = [
    ('schema-string', {"schema":"1"}), ('schema-2', {"schema":2}), ('schema-null', {"schema":None}), ('schema-float', {"schema":1.5}),
    ('seq-string', {"seq":"x"}), ('seq-float', {"seq":1.25}), ('seq-huge', {"seq":10**30}), ('seq-null', {"seq":None}),
    ('agent-mismatch', {"agentId":"someone-else"}), ('agent-null', {"agentId":None}), ('agent-number', {"agentId":7}),
    ('sentat-number', {"sentAt":12345}), ('sentat-garbage', {"sentAt":"yesterday"}), ('readings-object', {"readings":{"a":1}}),
    ('readings-string', {"readings":"all of them"}), ('readings-null', {"readings":None}), ('historical-string', {"historical":"yes"}),
]
for name, over in wrong:
    b = {"schema":1,"agentId":AG,"seq":nextseq(),"sentAt":NOW,"readings":[rd('cryo.ln2.level', 80.0)]}
    b.update(over)
    add('wrong-' + name, R, json.dumps(b), 'rejected')
readingwrong = [
    ('value-string', {"value":"80"}), ('value-null', {"value":None}), ('value-bool', {"value":True}), ('value-object', {"value":{"v":1}}),
    ('timestamp-number', {"timestamp":1700000000}), ('timestamp-garbage', {"timestamp":"2026-13-45T99:99:99Z"}), ('timestamp-future', {"timestamp":"2099-01-01T00:00:00Z"}),
    ('timestamp-ancient', {"timestamp":"1970-01-01T00:00:00Z"}), ('quality-unknown', {"quality":"excellent"}), ('quality-number', {"quality":3}),
    ('channel-number', {"channel":42}), ('channel-null', {"channel":None}), ('channel-missing', {"channel":"__delete__"}), ('value-missing', {"value":"__delete__"}), ('timestamp-missing', {"timestamp":"__delete__"}),
]
for name, over in readingwrong:
    r = rd('cryo.ln2.level', 80.0); r.update(over)
    r = {k:v for k,v in r.items() if v != "__delete__"}
    add('reading-' + name, R, batch([r]), 'rejected')
# 6. odd unicode channel ids (32)
odd = ['cryo.ln2.lev\u0435l', 'cryo.ln2.level\u200b', 'cryo.\u202eln2.level', 'cryo.ln2.level\u0000', '\ufeffcryo.ln2.level', 'cryo.ln2.l\u0301evel',
       '\U0001F9EA.ln2.level', 'CRYO.LN2.LEVEL', 'cryo..level', '.cryo.ln2', 'cryo', 'cryo.' + 'a'*70, 'cryo.ln2.level\n', 'cryo.ln2.level ',
       'cryo.ln2.\ud7ff', 'cryo/ln2/level', 'cryo.ln2.level;drop table readings', "cryo.ln2.level' or '1'='1", 'cryo.ln2.level\\', 'cryo.ln2.level"',
       'ｃｒｙｏ.ln2.level', 'cryo.ln2.level\u2028', 'cryo.ln2.level\u00a0', 'cryo.\u0131n2.level', 'cryo.ln2.level\t', '\u0000', '',
       'a.b.c.d.e.f.g.h.i', 'cryo.-ln2', 'cryo.ln2.level#', 'cryo.ln2.level+', 'cryo.ln2.level' + '\u0308'*40]
for i, ch in enumerate(odd):
    add(f'odd-channel-{i:02d}', R, batch([rd(ch, 1.0)]), 'reading:bad-channel-id')
# lone surrogate raw bytes
add('odd-channel-lone-surrogate', R, ('{"schema":1,"agentId":"hostile-1","seq":%d,"sentAt":"{{NOW}}","readings":[{"channel":"cryo.\\ud800","timestamp":"{{NOW}}","value":1}]}' % nextseq()), 'rejected')
add('invalid-utf8-in-string', R, b'{"schema":1,"agentId":"hostile-1","seq":1,"sentAt":"2026-01-01T00:00:00Z","readings":[{"channel":"cryo.\xc3\x28","timestamp":"2026-01-01T00:00:00Z","value":1}]}', 'malformed-json')
# 7. status / birth attacks (24)
def desc(i, **over):
    d = {"id":f"hostile.ch{i}","unit":"1","description":"hostile","group":"daq","nominal":{"low":0,"high":1},"periodSeconds":1}
    d.update(over); return d
def birth(channels, **over):
    b = {"schema":1,"agentId":AG,"state":"online","timestamp":NOW,"heartbeatSeconds":5,"channels":channels}
    b.update(over); return json.dumps(b, ensure_ascii=False)
add('birth-too-many-channels', S, birth([desc(i) for i in range(1001)]), 'too-many-channels')
for name, over in [('unit-missing', {"unit":None}), ('unit-long', {"unit":"u"*33}), ('desc-long', {"description":"d"*257}), ('group-unknown', {"group":"kitchen"}),
                   ('nominal-missing', {"nominal":None}), ('band-crossed', {"nominal":{"low":5,"high":1}}), ('band-string', {"nominal":{"low":"a"}}),
                   ('period-zero', {"periodSeconds":0}), ('period-negative', {"periodSeconds":-1}), ('period-string', {"periodSeconds":"1"}), ('id-upper', {"id":"HOSTILE.CH"}),
                   ('id-unicode', {"id":"hostile.c\u0127"}), ('band-huge', {"nominal":{"low":-1e308,"high":1e308}})]:
    add('birth-descriptor-' + name, S, birth([desc(0, **over)]), 'rejected' if name != 'band-huge' else 'accepted-birth')
for name, over in [('heartbeat-zero', {"heartbeatSeconds":0}), ('heartbeat-huge', {"heartbeatSeconds":1e9}), ('state-unknown', {"state":"sleepy"}),
                   ('schema-9', {"schema":9}), ('agent-mismatch', {"agentId":"hostile-2"}), ('timestamp-garbage', {"timestamp":"now"})]:
    add('birth-' + name, S, birth([desc(0)], **over), 'rejected')
add('birth-json-null', S, 'null', 'malformed-json')
add('birth-channels-object', S, json.dumps({"schema":1,"agentId":AG,"state":"online","timestamp":NOW,"channels":{"a":1}}), 'malformed-json')
add('birth-json-array', S, '[]', 'malformed-json')
# 8. topics (10)
for name, topic in [('bad-id-upper', 'clovers/v1/agents/HOSTILE/readings'), ('bad-id-long', 'clovers/v1/agents/' + 'a'*40 + '/readings'),
                    ('bad-id-unicode', 'clovers/v1/agents/h\u00f6stile/readings'), ('bad-id-dot', 'clovers/v1/agents/../readings'),
                    ('unknown-suffix', f'clovers/v1/agents/{AG}/secrets'), ('unknown-root', 'clovers/v2/agents/hostile-1/readings'),
                    ('replies', f'clovers/v1/agents/{AG}/replies'), ('deep-topic', f'clovers/v1/agents/{AG}/readings/extra'),
                    ('empty-id', 'clovers/v1/agents//readings'), ('commands-own', f'clovers/v1/agents/{AG}/commands')]:
    # An empty level matches '+' by the MQTT spec, but not every broker delivers it: not counted on.
    delivered = topic.startswith('clovers/v1/agents/') and topic.count('/') == 4 and topic.endswith('/readings') and '//' not in topic
    add('topic-' + name, topic, batch([rd('cryo.ln2.level')]), 'bad-source-id' if delivered else 'not-delivered')
# 9. DAQ histograms with the same tricks (40)
def hset(**over):
    h = {"schema":1,"daqId":"hostile-daq","run":1,"seq":nextseq(),"sentAt":NOW,"runStartedAt":NOW,"triggers":10,"livetimeSeconds":1.0,"protonsOnTarget":1e13,
         "histograms":[{"key":"sd1.npe.signal","kind":"npe","subDetector":1,"window":"signal","pmt":None,"unit":"NPE","edges":[0,1,2],"counts":[1,2]}]}
    h.update(over); return h
def hg(**over):
    g = {"key":"sd1.npe.signal","kind":"npe","subDetector":1,"window":"signal","pmt":None,"unit":"NPE","edges":[0,1,2],"counts":[1,2]}
    g.update(over); return g
daq = [
    ('too-many-histograms', hset(histograms=[hg(key=f"sd1.npe.h{i}") for i in range(65)])),
    ('too-many-bins', hset(histograms=[hg(edges=list(range(4098)), counts=[1]*4097)])),
    ('edges-counts-mismatch', hset(histograms=[hg(edges=[0,1,2,3], counts=[1])])),
    ('edges-descending', hset(histograms=[hg(edges=[3,2,1], counts=[1,1])])),
    ('counts-negative', hset(histograms=[hg(counts=[-1,-5])])),
    ('counts-float', hset(histograms=[hg(counts=[1.5,2])])),
    ('counts-string', hset(histograms=[hg(counts="many")])),
    ('edges-null', hset(histograms=[hg(edges=None)])),
    ('kind-unknown', hset(histograms=[hg(kind="banana")])),
    ('window-unknown', hset(histograms=[hg(window="lunch")])),
    ('key-unicode', hset(histograms=[hg(key="sd1.n\u0440e.signal")])),
    ('key-empty', hset(histograms=[hg(key="")])),
    ('key-long', hset(histograms=[hg(key="k"*500)])),
    ('subdetector-99', hset(histograms=[hg(subDetector=99)])),
    ('pmt-bogus', hset(histograms=[hg(kind="spe-charge", pmt="sd9z", subDetector=None, window=None, unit="pC")])),
    ('schema-2', hset(schema=2)), ('daqid-mismatch', hset(daqId="other-daq")), ('run-negative', hset(run=-1)),
    ('triggers-string', hset(triggers="lots")), ('livetime-negative', hset(livetimeSeconds=-5)), ('sentat-garbage', hset(sentAt="soon")),
    ('histograms-null', hset(histograms=None)), ('histograms-object', hset(histograms={"a":1})), ('duplicate-keys', hset(histograms=[hg(), hg()])),
    ('counts-overflow', hset(histograms=[hg(counts=[2**63, 1])])), ('edges-huge-array', hset(histograms=[hg(edges=list(range(20000)), counts=[0]*19999)])),
    ('unicode-daqid', hset(daqId="h\u00f6stile")),
]
for name, h in daq:
    add('daq-' + name, H, json.dumps(h, ensure_ascii=False), 'daq')
for lit in ['NaN', 'Infinity', '1e999']:
    add('daq-edges-' + lit.replace('e','e'), H, '{"schema":1,"daqId":"hostile-daq","run":1,"seq":%d,"sentAt":"{{NOW}}","runStartedAt":"{{NOW}}","triggers":1,"livetimeSeconds":1,"protonsOnTarget":1,"histograms":[{"key":"sd1.npe.signal","kind":"npe","subDetector":1,"window":"signal","pmt":null,"unit":"NPE","edges":[0,%s,2],"counts":[1,2]}]}' % (nextseq(), lit), 'daq')
for d in [17, 200, 3000]:
    add(f'daq-deep-{d}', H, '['*d + ']'*d, 'daq')
add('daq-json-null', H, 'null', 'daq')

with open('manifest.tsv', 'w', encoding='utf-8', newline='\n') as f:
    f.write('# file\ttopic\texpected outcome (see README.md)\n')
    for fn, topic, exp in manifest:
        f.write(f'{fn}\t{topic}\t{exp}\n')
print(len(manifest), sum(os.path.getsize(os.path.join(out,f)) for f in os.listdir(out)))
