#!/usr/bin/env python3
"""Synthetic duben sites for benchmarking: N articles of M paragraphs of real
Chinese sentences (recombined from the repository's source text), T glossary
terms, E timeline events and translation notes, all deterministic from a seed.
Optionally writes the same Markdown bodies as a minimal Hugo site.

Two term densities. `real` (the default): the repository's own glossary,
whose forms occur in the recombined sentences about as often as in the
article, then synthetic topical terms that each appear in a few articles, so
a page has about as many term links per paragraph as the real article.
`dense` (a stress test): frequent n-grams of the source as terms, so nearly
every term occurs on every page.

Standard library only. Run `gen_site.py --help` for the options and
`gen_site.py --self-check DIR` to validate a generated site.
"""

import argparse
import collections
import hashlib
import random
import re
import sys
import tomllib
from pathlib import Path

# The repository's own article as extracted from the PDF.
DEFAULT_SOURCE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import" / "yao-2019-raw.txt"
# The repository's glossary for that article: the first terms at real density.
DEFAULT_GLOSSARY = Path(__file__).resolve().parent.parent / "content" / "glossary.toml"

# ---------------------------------------------------------------------------
# The source text: sentences, headings, English sentences
# ---------------------------------------------------------------------------

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_OR_PUNCT = CJK + r"\u3000-\u303f\uff00-\uffef“”‘’"
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+ \S.*|\( ?[一二三四五六七八九十]+\) ?\S.*|结 语)$")
PAGE_HEADER = re.compile(r"^·\d+·")
SENTENCE_END = "。！？；"


def read_source(path):
    """Splits the extracted text into (Chinese body lines, headings, English
    lines): page headers, title block and editor line dropped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body, headings, english = [], [], []
    in_english = False
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line or PAGE_HEADER.match(line):
            continue
        if index < 4:  # article title and author
            continue
        if line.startswith("( 本文责任编辑") or line.startswith("(本文责任编辑"):
            in_english = True  # everything after is other articles' English
            continue
        if in_english:
            english.append(line)
            continue
        if HEADING.match(line):
            # Keep the space after a chapter numeral: `## 一 历史`.
            headings.append(re.sub(r"^([一二三四五六七八九十]+)(?=[^）])", r"\1 ", tidy(line)))
            body.append("\n")  # a heading ends the running text
            continue
        if re.match(r"^[" + CJK + r"]{2,4}: ", line):
            continue  # the author note at the end
        body.append(line.replace("〔内容提要〕", ""))
    return body, headings, english


def tidy(text):
    """Removes the PDF's spaces next to Chinese characters and punctuation,
    as `duben import` and editors do (`1978 年 12 月` → `1978年12月`)."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" (?=[" + CJK_OR_PUNCT + r"])", "", text)
    text = re.sub(r"(?<=[" + CJK_OR_PUNCT + r"]) ", "", text)
    text = text.replace("( ", "（").replace("(", "（").replace(")", "）")
    text = text.replace("; ", "；").replace(";", "；").replace("?", "？")
    return text


def sentences_of(body):
    text = "".join(body)
    sentences = []
    for chunk in text.split("\n"):
        chunk = tidy(chunk)
        for sentence in re.findall(r"[^" + SENTENCE_END + r"]+[" + SENTENCE_END + r"]?", chunk):
            sentence = sentence.strip()
            if len(re.findall("[" + CJK + "]", sentence)) >= 6:
                if sentence[-1] not in SENTENCE_END:
                    sentence = sentence.rstrip("，、：:,") + "。"
                sentences.append(sentence)
    return sentences


def english_sentences(lines):
    text = " ".join(lines)
    text = text.replace("．", ".").replace("，", ", ").replace("Ｒ", "R")
    text = re.sub(r"U\.\s?S\.", "US", text)
    text = re.sub(r"-\s+(?=[a-z])", "", text)  # re-join hyphenated line ends
    text = re.sub(r"\s+", " ", text)
    found = re.findall(r"[A-Z][^.]{30,240}\.", text)
    return [s for s in found if "…" not in s and "(" not in s]


# ---------------------------------------------------------------------------
# Pinyin: real readings for the text's common characters, plausible ones
# for the rest; syllables counted as duben counts them
# ---------------------------------------------------------------------------

READINGS = """
的de 中zhōng 军jūn 国guó 美měi 事shì 和hé 关guān 系xì 在zài 对duì 年nián 合hé 作zuò 战zhàn
了le 全quán 两liǎng 为wéi 发fā 行xíng 与yǔ 不bù 力lì 同tóng 有yǒu 机jī 方fāng 交jiāo 展zhǎn
制zhì 能néng 是shì 防fáng 进jìn 也yě 时shí 一yī 间jiān 海hǎi 要yào 安ān 利lì 双shuāng 大dà
部bù 重zhòng 定dìng 多duō 益yì 等děng 台tái 以yǐ 外wài 领lǐng 空kōng 略lüè 动dòng 会huì 核hé
盟méng 亚yà 地dì 互hù 性xìng 共gòng 边biān 出chū 之zhī 建jiàn 成chéng 政zhèng 上shàng 而ér 突tū
主zhǔ 太tài 湾wān 来lái 加jiā 人rén 联lián 术shù 冲chōng 危wēi 化huà 于yú 武wǔ 用yòng 到dào
争zhēng 应yīng 稳wěn 立lì 域yù 并bìng 器qì 通tōng 内nèi 技jì 都dōu 球qiú 解jiě 强qiáng 长cháng
络luò 反fǎn 理lǐ 备bèi 话huà 层céng 流liú 实shí 态tài 面miàn 增zēng 管guǎn 期qī 容róng 经jīng
后hòu 高gāo 导dǎo 这zhè 个gè 队duì 可kě 网wǎng 保bǎo 相xiāng 代dài 其qí 势shì 统tǒng 持chí
信xìn 务wù 现xiàn 访fǎng 世shì 越yuè 区qū 止zhǐ 月yuè 如rú 平píng 就jiù 使shǐ 竞jìng 新xīn
度dù 东dōng 调tiáo 过guò 自zì 际jì 控kòng 日rì 华huá 升shēng 抗kàng 提tí 前qián 量liàng 下xià
分fēn 点diǎn 特tè 最zuì 生shēng 着zhe 护hù 开kāi 续xù 更gèng 从cóng 手shǒu 需xū 纪jì 问wèn
及jí 断duàn 意yì 任rèn 维wéi 总zǒng 构gòu 策cè 非fēi 当dāng 体tǐ 预yù 认rèn 级jí 向xiàng
则zé 变biàn 第dì 法fǎ 低dī 件jiàn 此cǐ 权quán 工gōng 规guī 将jiāng 因yīn 少shǎo 题tí 首shǒu
报bào 布bù 正zhèng 随suí 扩kuò 存cún 基jī 然rán 约yuē 形xíng 习xí 智zhì 准zhǔn 虑lǜ 包bāo
走zǒu 始shǐ 情qíng 表biǎo 周zhōu 府fǔ 入rù 逐zhú 潜qián 带dài 架jià 南nán 文wén 还hái 往wǎng
家jiā 明míng 步bù 参cān 程chéng 岛dǎo 缘yuán 括kuò 线xiàn 别bié 趋qū 起qǐ 式shì 署shǔ 识shí
具jù 斯sī 设shè 施shī 放fàng 达dá 处chù 次cì 演yǎn 考kǎo 曾céng 治zhì 终zhōng 结jié 致zhì
停tíng 但dàn 传chuán 推tuī 忘wàng 元yuán 范fàn 努nǔ 得dé 所suǒ 十shí 摩mó 条tiáo 较jiào 型xíng
近jìn 二èr 击jī 贸mào 易yì 挑tiǎo 伴bàn 复fù 先xiān 各gè 极jí 质zhì 针zhēn 未wèi 况kuàng
已yǐ 历lì 史shǐ 围wéi 心xīn 严yán 学xué 门mén 航háng 没méi 装zhuāng 论lùn 确què 种zhǒng 协xié
运yùn 紧jǐn 擦cā 三sān 录lù 救jiù 很hěn 土tǔ 张zhāng 伙huǒ 己jǐ 视shì 依yī 打dǎ 口kǒu
风fēng 措cuò 民mín 目mù 渐jiàn 险xiǎn 取qǔ 广guǎng 框kuàng 降jiàng 义yì 些xiē 责zé 普pǔ 常cháng
至zhì 席xí 好hǎo 转zhuǎn 改gǎi 除chú 仅jǐn 底dǐ 影yǐng 响xiǎng 晤wù 再zài 由yóu 样yàng 难nán
受shòu 段duàn 独dú 四sì 道dào 求qiú 优yōu 项xiàng 业yè 滑huá 集jí 映yìng 威wēi 歧qí 疑yí
兵bīng 他tā 示shì 接jiē 烈liè 泛fàn 状zhuàng 深shēn 苏sū 超chāo 御yù 符fú 比bǐ 员yuán 科kē
本běn 讨tǎo 积jī 令lìng 洋yáng 敌dí 活huó 观guān 限xiàn 遇yù 号hào 据jù 档dàng 案àn 载zǎi
"""
READING = dict((item[0], item[1:]) for item in READINGS.split())
SYLLABLES = sorted(set(READING.values()))

INITIALS = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z",
            "c", "s", "y", "w", ""]
FINALS = ["iang", "iong", "uang", "ang", "eng", "ong", "ing", "ian", "iao", "uai", "uan", "van", "ai", "ei",
          "ao", "ou", "an", "en", "er", "ia", "ie", "iu", "in", "ua", "uo", "ui", "un", "ue", "ve", "vn", "a",
          "o", "e", "i", "u", "v"]
TONELESS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü", "aaaaeeeeiiiioooouuuuvvvvv")


def fewest_syllables(plain):
    """duben's reading of a run of toneless pinyin: the fewest syllables."""
    if not plain:
        return 0
    for initial in INITIALS:
        if not plain.startswith(initial):
            continue
        rest = plain[len(initial):]
        counts = [fewest_syllables(rest[len(f):]) for f in FINALS if rest.startswith(f)]
        counts = [c + 1 for c in counts if c is not None]
        if counts:
            return min(counts)
    return None


def reading_of(char):
    if char in READING:
        return READING[char]
    digest = hashlib.sha1(char.encode("utf-8")).digest()
    return SYLLABLES[int.from_bytes(digest[:4], "big") % len(SYLLABLES)]


def pinyin_for(headword):
    """Words of two syllables, joined as pinyin joins them, with an
    apostrophe wherever the join would read as fewer syllables."""
    syllables = [reading_of(c) for c in headword]
    words = []
    for start in range(0, len(syllables), 2):
        word = syllables[start]
        for syllable in syllables[start + 1:start + 2]:
            joined = word + syllable
            if fewest_syllables(joined.translate(TONELESS)) != 2:
                joined = word + "'" + syllable
            word = joined
        words.append(word)
    return " ".join(words)


# ---------------------------------------------------------------------------
# Glossary forms: frequent n-grams of the sentence pool, each guaranteed a
# leftmost-longest win in at least one sentence
# ---------------------------------------------------------------------------

STOP_EDGES = set("的了和与在是也而及并其这之等对为于以将就都还又")


def candidate_forms(sentences):
    counts = collections.Counter()
    for sentence in sentences:
        for run in re.findall("[" + CJK + "]+", sentence):
            for length in range(2, 7):
                for start in range(len(run) - length + 1):
                    gram = run[start:start + length]
                    if gram[0] in STOP_EDGES or gram[-1] in STOP_EDGES:
                        continue  # reads as a fragment, not a term
                    counts[gram] += 1
    # Frequent first; at equal frequency the longer, then the text order.
    return [g for g, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))]


class Matcher:
    """Leftmost-longest, non-overlapping matching over a set of forms, as
    duben's automaton matches: at each position the longest form starting
    there wins, and matching resumes after it. Indexed by first character,
    as the real glossary's forms run to 32 characters."""

    def __init__(self, forms):
        self.forms = set(forms)
        lengths = collections.defaultdict(set)
        for form in self.forms:
            lengths[form[0]].add(len(form))
        self.lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}

    def find(self, text):
        """Yields the forms matched in `text`."""
        at = 0
        while at < len(text):
            for length in self.lengths.get(text[at], ()):
                if at + length <= len(text) and text[at:at + length] in self.forms:
                    yield text[at:at + length]
                    at += length
                    break
            else:
                at += 1


def winning_sentences(sentences, forms):
    """For each form, the sentences in which leftmost-longest matching picks it."""
    matcher = Matcher(forms)
    wins = collections.defaultdict(list)
    for index, sentence in enumerate(sentences):
        for form in matcher.find(sentence):
            wins[form].append(index)
    return wins


def choose_terms(sentences, count, rng):
    """`count` terms of one to three forms each, from the frequent n-grams,
    every form unique. A term's `wins` are the sentences in which
    leftmost-longest matching over the final set of forms picks it."""
    queue = candidate_forms(sentences)[: count * 3]
    rng.shuffle(queue)
    queue.reverse()  # pop() takes from the shuffled front
    terms = []
    while len(terms) < count and queue:
        extra = rng.choice([0, 0, 0, 1, 1, 2])
        forms = [queue.pop() for _ in range(min(1 + extra, len(queue)))]
        # The headword is the longest form; aliases are the others.
        forms.sort(key=lambda f: (-len(f), f))
        terms.append({"zh": forms[0], "aliases": forms[1:]})
    if len(terms) < count:
        sys.exit(f"gen_site: the source text yields only {len(terms)} glossary terms; use fewer")
    wins = winning_sentences(sentences, {f for t in terms for f in [t["zh"], *t["aliases"]]})
    for term in terms:
        term["wins"] = sorted(set().union(*(wins.get(f, []) for f in [term["zh"], *term["aliases"]])))
    return terms


# ---------------------------------------------------------------------------
# Real density: the repository's own glossary, whose forms occur in the
# recombined sentences as often as in the article, plus synthetic topical
# terms, each confined to a few articles as a real corpus's terms are
# ---------------------------------------------------------------------------

# How many articles a topical term appears in: the floor of a Pareto variate
# (capped at N), so about three terms in four stay in 1–5 articles and a few
# spread over hundreds; the mean is about 20 articles at N = 1000. With the
# real glossary that gives a 1000-article site about 180 distinct terms and
# 6 term links per paragraph on a page (the real article: 162 and 5.6).
TOPIC_SPREAD_ALPHA = 0.75
# Sentences of an article that mention a topical term it carries.
TOPIC_USES = [1, 1, 2, 3]
# Lengths of topical forms in characters, mostly three and four.
TOPIC_LENGTHS = [2, 3, 3, 4, 4]


def normalise_for_glossary(sentence):
    """The PDF writes `歼－8`, the glossary (like the article) `歼-8`."""
    return sentence.replace("－", "-")


def forms_of(term):
    return [term["zh"], *term["aliases"]]


def real_terms(sentences, entries, count):
    """The real glossary as terms; when `count` is smaller, the `count`
    terms whose forms win most often in the sentence pool, in file order."""
    terms = [{"id": e["id"], "zh": e["zh"], "aliases": list(e.get("aliases", [])), "entry": e} for e in entries]
    if count < len(terms):
        owner = {f: i for i, t in enumerate(terms) for f in forms_of(t)}
        hits = collections.Counter()
        for form, found in winning_sentences(sentences, owner).items():
            hits[owner[form]] += len(found)
        ranked = sorted(range(len(terms)), key=lambda i: (-hits[i], i))
        terms = [terms[i] for i in sorted(ranked[:count])]
    return terms


def substrings(text):
    return {text[i:j] for i in range(len(text)) for j in range(i + 1, len(text) + 1)}


class TopicForms:
    """Forms for synthetic terms: 2–4 Chinese characters drawn by the source
    text's character frequencies, found nowhere in `text` (everything the
    site's articles are made of), and neither inside nor around any form
    taken so far. Inserted at a clause boundary, such a form therefore always
    wins leftmost-longest matching and changes no other match."""

    def __init__(self, text, taken, rng):
        counts = collections.Counter(re.findall("[" + CJK + "]", text))
        self.chars, self.weights = list(counts), list(counts.values())
        self.edges = set(self.chars) - STOP_EDGES
        self.text = text
        self.taken = set(taken)
        self.inside = set().union(*(substrings(f) for f in self.taken)) if self.taken else set()
        self.rng = rng

    def make(self):
        while True:
            form = "".join(self.rng.choices(self.chars, self.weights, k=self.rng.choice(TOPIC_LENGTHS)))
            if form[0] not in self.edges or form[-1] not in self.edges:
                continue  # reads as a fragment, not a term
            if form in self.inside or substrings(form) & self.taken or form in self.text:
                continue
            self.taken.add(form)
            self.inside |= substrings(form)
            return form


def topic_terms(count, maker, rng):
    """`count` synthetic terms of one or two forms."""
    terms = []
    for number in range(1, count + 1):
        forms = [maker.make() for _ in range(1 + rng.choice([0, 0, 0, 1]))]
        forms.sort(key=lambda f: (-len(f), f))
        terms.append({"id": f"topic-{number:04d}", "zh": forms[0], "aliases": forms[1:], "wins": []})
    return terms


# ---------------------------------------------------------------------------
# The site
# ---------------------------------------------------------------------------

CATEGORIES = ["concept", "institution", "policy", "event", "law", "organization", "place", "person"]
# A term in quotation marks always matches: no other form can start
# before it or run past it, as forms are Chinese characters only.
QUOTED_TERM = [
    "文中所说的“{f}”，需要放在具体的历史背景中理解。",
    "对于“{f}”这一提法，学界有不同的解释。",
    "“{f}”一词在这里有特定的含义。",
]
MARKERS = [
    "据档案记载，第{n}号事件即发生在这一时期。",
    "研究者后来把这一变化称为第{n}号事件。",
    "第{n}号事件的影响在此后数年中逐渐显现。",
    "有关第{n}号事件的记录至今仍有争议。",
]


def toml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_block(text):
    return '"""' + text.replace("\\", "\\\\").replace('"""', '\\"""') + '"""'


class Site:
    def __init__(self, args, source):
        self.args = args
        self.rng = random.Random(args.seed)
        body, self.headings, english = read_source(source)
        self.sentences = sentences_of(body)
        self.english = english_sentences(english)
        self.real = args.density == "real"
        if self.real:
            self.sentences = [normalise_for_glossary(s) for s in self.sentences]
            self.terms = self.real_density_terms()
        else:
            self.terms = choose_terms(self.sentences, args.terms, self.rng) if args.terms else []
        self.articles = []  # per article: list of blocks ("h", text) or ("p", [sentences])
        self.events = []
        self.notes = []  # per article: list of note dicts

    def real_density_terms(self):
        """The real glossary's terms first, then synthetic topical ones up to
        `--terms`; `wins` computed over the final set of forms."""
        entries = tomllib.loads(self.args.glossary.read_text(encoding="utf-8")).get("term", [])
        terms = real_terms(self.sentences, entries, self.args.terms)
        if self.args.terms > len(terms):
            generated = [self.title(i) for i in range(len(self.headings))] + QUOTED_TERM + MARKERS
            text = "\n".join(self.sentences + self.headings + generated + ["读本：合成测试站点", "姚云竹", "《美国研究》"])
            rng = random.Random(f"{self.args.seed}-topic-forms")
            maker = TopicForms(text, [f for t in terms for f in forms_of(t)], rng)
            terms += topic_terms(self.args.terms - len(terms), maker, rng)
        wins = winning_sentences(self.sentences, {f for t in terms for f in forms_of(t)})
        for term in terms:
            term["wins"] = sorted(set().union(*(wins.get(f, []) for f in forms_of(term))))
        return terms

    def term_id(self, index):
        return self.terms[index].get("id", f"term-{index + 1:04d}")

    def slug(self, index):
        return f"article-{index + 1:04d}"

    def build(self):
        a = self.args
        for index in range(a.articles):
            self.articles.append(self.article_blocks())
        if self.real:
            # Only the real terms the random draw left out, so that a small
            # site is not crowded with extra term-laden sentences.
            drawn = {s for blocks in self.articles for kind, value in blocks if kind == "p" for s in value}
            missing = [t for t in self.terms if "entry" in t and not any(self.sentences[i] in drawn for i in t["wins"])]
            self.place_term_sentences(missing)
            self.place_topics([t for t in self.terms if "entry" not in t])
        else:
            self.place_term_sentences(self.terms)
        self.place_events()
        self.notes = [self.article_notes(i) for i in range(a.articles)]

    def article_blocks(self):
        """M paragraphs of 2–6 random sentences, a `##` heading every 8–14."""
        blocks = []
        until_heading = 0
        for _ in range(self.args.paragraphs):
            if until_heading == 0:
                blocks.append(["h", self.rng.choice(self.headings)])
                until_heading = self.rng.randint(8, 14)
            until_heading -= 1
            count = self.rng.randint(2, 6)
            blocks.append(["p", [self.rng.choice(self.sentences) for _ in range(count)]])
        return blocks

    def paragraphs(self, article):
        return [b for b in self.articles[article] if b[0] == "p"]

    def place_term_sentences(self, terms):
        """Puts, for each term, a sentence in which it wins into some article,
        so every term occurs whatever the random draw did."""
        for number, term in enumerate(terms):
            article = number % self.args.articles
            paragraph = self.rng.choice(self.paragraphs(article))
            if term["wins"]:
                sentence = self.sentences[self.rng.choice(term["wins"])]
            else:
                sentence = self.rng.choice(QUOTED_TERM).format(f=term["zh"])
            paragraph[1].insert(self.rng.randint(0, len(paragraph[1])), sentence)

    def place_topics(self, terms):
        """Writes each topical term into the articles it belongs to: a
        skewed number of articles, 1–3 sentences in each, at the start of a
        sentence or right after a `，`. No form spans those boundaries, so
        the inserted form wins and every other match stays as it was."""
        rng = random.Random(f"{self.args.seed}-topics")
        for term in terms:
            spread = min(self.args.articles, int(rng.paretovariate(TOPIC_SPREAD_ALPHA)))
            for article in rng.sample(range(self.args.articles), spread):
                for _ in range(rng.choice(TOPIC_USES)):
                    form = rng.choice(forms_of(term))
                    sentences = rng.choice(self.paragraphs(article))[1]
                    index = rng.randrange(len(sentences))
                    sentence = sentences[index]
                    cuts = [0] + [at + 1 for at, char in enumerate(sentence) if char == "，"]
                    cut = rng.choice(cuts)
                    sentences[index] = sentence[:cut] + form + sentence[cut:]

    def place_events(self):
        for number in range(1, self.args.events + 1):
            article = (number - 1) % self.args.articles
            paragraph = self.rng.choice(self.paragraphs(article))
            marker = self.rng.choice(MARKERS).format(n=number)
            paragraph[1].insert(self.rng.randint(0, len(paragraph[1])), marker)
            year = self.rng.randint(1949, 2019)
            precision = self.rng.choice(["y", "m", "d", "d"])
            month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
            date = {"y": f"{year}", "m": f"{year}-{month:02d}", "d": f"{year}-{month:02d}-{day:02d}"}[precision]
            terms = []
            if self.terms:
                terms = sorted({self.term_id(self.rng.randrange(len(self.terms))) for _ in range(self.rng.randint(0, 3))})
            title = self.rng.choice(self.sentences).rstrip(SENTENCE_END)[:24]
            self.events.append({
                "id": f"event-{number:04d}",
                "date": date,
                "title": title,
                "title_en": f"Event {number}: " + self.rng.choice(self.english)[:80].rstrip(" ,.") + ".",
                "description": self.rng.choice(self.english),
                "terms": terms,
                "article": self.slug(article),
                "quote": f"第{number}号事件",
            })

    def article_notes(self, article):
        """Translation notes for about `--notes` of the paragraphs, anchored
        as an editor would: the paragraph's opening words when they are
        unique in the article, else the paragraph number."""
        paragraphs = self.paragraphs(article)
        whole = [re.sub(r"\s", "", "".join(p[1])) for p in paragraphs]
        notes = []
        for number, text in enumerate(whole, start=1):
            if self.rng.random() >= self.args.notes:
                continue
            anchor = {"paragraph": number}
            for length in (8, 12, 16):
                quote = text[:length]
                if len(quote) == length and sum(count_overlapping(t, quote) for t in whole) == 1:
                    anchor = {"quote": quote}
                    break
            english = " ".join(self.rng.choice(self.english) for _ in range(self.rng.randint(2, 4)))
            notes.append({"anchor": anchor, "body": english})
        return notes

    # -- writing ----------------------------------------------------------

    def markdown(self, article):
        out = []
        for kind, value in self.articles[article]:
            out.append(f"## {value}" if kind == "h" else "".join(value))
        return "\n\n".join(out) + "\n"

    def write(self, root):
        content = root / "content"
        content.mkdir(parents=True, exist_ok=True)
        density = ", real density" if self.real else ""
        (root / "site.toml").write_text(
            'title = "读本：合成测试站点"\n'
            'title_en = "Synthetic benchmark site"\n'
            f'description = "{self.args.articles} articles × {self.args.paragraphs} paragraphs, '
            f'{len(self.terms)} terms, {len(self.events)} events{density} (seed {self.args.seed})."\n'
            'language = "zh-Hans"\n\n[glossary]\nmark = "first-in-paragraph"\n',
            encoding="utf-8",
        )
        for index in range(self.args.articles):
            folder = content / self.slug(index)
            folder.mkdir(exist_ok=True)
            (folder / "article.toml").write_text(self.article_toml(index), encoding="utf-8")
            (folder / "text.md").write_text(self.markdown(index), encoding="utf-8")
            (folder / "notes.toml").write_text(self.notes_toml(index), encoding="utf-8")
        (content / "glossary.toml").write_text(self.glossary_toml(), encoding="utf-8")
        (content / "timeline.toml").write_text(self.timeline_toml(), encoding="utf-8")

    def title(self, index):
        return f"{self.headings[index % len(self.headings)].split(' ', 1)[-1].lstrip('（）一二三四五六七八九十）')}（{index + 1}）"

    def article_toml(self, index):
        rng = random.Random(f"{self.args.seed}-{index}")
        abstract = "".join(rng.choice(self.sentences) for _ in range(3))
        return "\n".join([
            f"title = {toml_string(self.title(index))}",
            f'title_en = "Synthetic article {index + 1}"',
            'author = "姚云竹"',
            'author_en = "Yao Yunzhu"',
            'source = "《美国研究》"',
            f"year = {2000 + index % 20}",
            f"order = {index + 1}",
            f"abstract_zh = {toml_block(abstract)}",
            f"abstract_en = {toml_block(' '.join(rng.choice(self.english) for _ in range(2)))}",
            "",
        ])

    def notes_toml(self, index):
        out = []
        for note in self.notes[index]:
            anchor = note["anchor"]
            anchor_text = (f"quote = {toml_string(anchor['quote'])}" if "quote" in anchor
                           else f"paragraph = {anchor['paragraph']}")
            out.append(f"[[note]]\nanchor = {{ {anchor_text} }}\nkind = \"translation\"\n"
                       f"body = {toml_block(note['body'])}\n")
        return "\n".join(out)

    def glossary_toml(self):
        """Real entries (at real density) as the repository has them, with
        cross-references to terms left out dropped; synthetic terms made up."""
        ids = {self.term_id(i) for i in range(len(self.terms))}
        out = []
        for number, term in enumerate(self.terms, start=1):
            if "entry" in term:
                out.append(real_term_toml(term["entry"], ids))
            else:
                out.append(self.synthetic_term_toml(number, term))
        return "\n".join(out)

    def synthetic_term_toml(self, number, term):
        rng = random.Random(f"{self.args.seed}-term-{number}")
        lines = [
            "[[term]]",
            f'id = "{self.term_id(number - 1)}"',
            f"zh = {toml_string(term['zh'])}",
        ]
        if term["aliases"]:
            lines.append("aliases = [" + ", ".join(toml_string(a) for a in term["aliases"]) + "]")
        lines += [
            f"pinyin = {toml_string(pinyin_for(term['zh']))}",
            f'en = "synthetic term {number}"',
            f'category = "{rng.choice(CATEGORIES)}"',
            f"definition = {toml_block(rng.choice(self.english))}",
        ]
        if number > 1 and rng.random() < 0.2:
            lines.append(f'see_also = ["{self.term_id(rng.randint(1, number - 1) - 1)}"]')
        return "\n".join(lines) + "\n"

    def timeline_toml(self):
        out = []
        for event in self.events:
            lines = [
                "[[event]]",
                f'id = "{event["id"]}"',
                f'date = "{event["date"]}"',
                f"title = {toml_string(event['title'])}",
                f"title_en = {toml_string(event['title_en'])}",
                f"description = {toml_block(event['description'])}",
            ]
            if event["terms"]:
                lines.append("terms = [" + ", ".join(f'"{t}"' for t in event["terms"]) + "]")
            lines.append(f'anchors = [{{ article = "{event["article"]}", quote = {toml_string(event["quote"])} }}]')
            out.append("\n".join(lines) + "\n")
        return "\n".join(out)

    def write_hugo(self, root):
        """The same Markdown bodies as a minimal Hugo site."""
        write_hugo_site(root, [(self.slug(i), self.title(i), self.markdown(i)) for i in range(self.args.articles)])


def real_term_toml(entry, ids):
    lines = ["[[term]]", f'id = "{entry["id"]}"', f"zh = {toml_string(entry['zh'])}"]
    if entry.get("aliases"):
        lines.append("aliases = [" + ", ".join(toml_string(a) for a in entry["aliases"]) + "]")
    for key in ("pinyin", "en", "category"):
        if key in entry:
            lines.append(f"{key} = {toml_string(entry[key])}")
    for key in ("definition", "definition_zh"):
        if key in entry:
            lines.append(f"{key} = {toml_block(entry[key])}")
    see_also = [i for i in entry.get("see_also", []) if i in ids]
    if see_also:
        lines.append("see_also = [" + ", ".join(toml_string(i) for i in see_also) + "]")
    if entry.get("links"):
        links = ", ".join(f"{{ label = {toml_string(link['label'])}, url = {toml_string(link['url'])} }}"
                          for link in entry["links"])
        lines.append(f"links = [{links}]")
    return "\n".join(lines) + "\n"


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
HUGO_SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<nav class="toc">{{ .TableOfContents }}</nav>
{{ .Content }}
</article>
{{ end }}
"""
HUGO_LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
"""


def hugo_from_site(site, root):
    """The articles of an existing duben site as a Hugo site, same bodies."""
    folders = sorted(p.parent for p in (site / "content").glob("*/text.md"))
    bodies = []
    for folder in folders:
        meta = tomllib.loads((folder / "article.toml").read_text(encoding="utf-8"))
        bodies.append((folder.name, meta.get("title", folder.name), (folder / "text.md").read_text(encoding="utf-8")))
    write_hugo_site(root, bodies)


def write_hugo_site(root, bodies):
    """A minimal Hugo site: config, one page per (slug, title, Markdown body),
    and baseof/single/list layouts that render the Markdown."""
    content = root / "content"
    layouts = root / "layouts" / "_default"
    content.mkdir(parents=True, exist_ok=True)
    layouts.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(
        'baseURL = "https://example.org/"\n'
        'languageCode = "zh-Hans"\n'
        'title = "读本"\n'
        "hasCJKLanguage = true\n"
        'disableKinds = ["taxonomy", "term"]\n',
        encoding="utf-8",
    )
    for weight, (slug, title, body) in enumerate(bodies, start=1):
        front = f"---\ntitle: {toml_string(title)}\nweight: {weight}\n---\n\n"
        (content / f"{slug}.md").write_text(front + body, encoding="utf-8")
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")


def count_overlapping(text, needle):
    count, at = 0, text.find(needle)
    while at >= 0:
        count += 1
        at = text.find(needle, at + 1)
    return count


# ---------------------------------------------------------------------------
# Self-check: what duben will demand of the site, checked independently
# ---------------------------------------------------------------------------

def pinyin_problems(term):
    """duben's pinyin lint: one syllable per Chinese character, unless the
    headword mixes in Latin letters or digits (`F-16战斗机`)."""
    if "pinyin" not in term or re.search("[^" + CJK + "·・《》“”（）、—-]", term["zh"]):
        return []
    words = re.split(r"[\s'’·\-]+", re.sub(r"[,.()]", "", term["pinyin"].lower()))
    syllables = sum(fewest_syllables(w.translate(TONELESS)) or 0 for w in words if w)
    characters = len(re.findall("[" + CJK + "]", term["zh"]))
    if syllables != characters:
        return [f"{term['id']}: pinyin {term['pinyin']} has {syllables} syllables for {term['zh']}"]
    return []


def nested_topic_forms(owner):
    """A topical form (of a `topic-` term) inside or around another form
    could lose leftmost-longest matching where it was inserted. The real
    glossary's own forms may nest (解放军 in 中国人民解放军), as n-grams do."""
    problems = []
    topical = [f for f, term in owner.items() if term.startswith("topic-")]
    if not topical:
        return problems
    longest = max(len(f) for f in topical)
    around = collections.defaultdict(set)  # piece → forms containing it
    for form in owner:
        for piece in substrings(form):
            if len(piece) <= longest:
                around[piece].add(form)
    for form in topical:
        others = (around[form] | (substrings(form) & owner.keys())) - {form}
        for other in sorted(others)[:3]:
            problems.append(f"topical form {form} of {owner[form]} nests with {other} of {owner[other]}")
    return problems


def self_check(root):
    problems = []
    content = root / "content"
    tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    glossary = tomllib.loads((content / "glossary.toml").read_text(encoding="utf-8")).get("term", [])
    timeline = tomllib.loads((content / "timeline.toml").read_text(encoding="utf-8")).get("event", [])
    articles = {}
    for folder in sorted(p for p in content.iterdir() if p.is_dir()):
        tomllib.loads((folder / "article.toml").read_text(encoding="utf-8"))
        text = (folder / "text.md").read_text(encoding="utf-8")
        paragraphs = [re.sub(r"\s", "", b) for b in text.split("\n\n") if b.strip() and not b.startswith("#")]
        notes = tomllib.loads((folder / "notes.toml").read_text(encoding="utf-8")).get("note", [])
        articles[folder.name] = (paragraphs, notes)

    owner = {}
    for term in glossary:
        for form in [term["zh"], *term.get("aliases", [])]:
            if form in owner:
                problems.append(f"form {form} of {term['id']} is also a form of {owner[form]}")
            owner[form] = term["id"]
        problems += pinyin_problems(term)
    problems += nested_topic_forms(owner)
    if owner:
        matcher = Matcher(owner)
        matched = set()
        for paragraphs, _ in articles.values():
            for paragraph in paragraphs:
                matched.update(owner[f] for f in matcher.find(paragraph))
        for term in glossary:
            if term["id"] not in matched:
                problems.append(f"term {term['id']} ({term['zh']}) never matches")

    for event in timeline:
        for anchor in event["anchors"]:
            paragraphs = articles[anchor["article"]][0]
            found = sum(count_overlapping(p, re.sub(r"\s", "", anchor["quote"])) for p in paragraphs)
            if found != 1:
                problems.append(f"{event['id']}: quote {anchor['quote']} occurs {found} times")

    note_count = 0
    for slug, (paragraphs, notes) in articles.items():
        seen = set()
        for note in notes:
            note_count += 1
            anchor = note["anchor"]
            if "quote" in anchor:
                places = [i + 1 for i, p in enumerate(paragraphs) for _ in range(count_overlapping(p, anchor["quote"]))]
                if len(places) != 1:
                    problems.append(f"{slug}: note quote {anchor['quote']} occurs {len(places)} times")
                    continue
                number = places[0]
            else:
                number = anchor["paragraph"]
                if not 1 <= number <= len(paragraphs):
                    problems.append(f"{slug}: note paragraph {number} out of range")
            if number in seen:
                problems.append(f"{slug}: two translations for ¶{number}")
            seen.add(number)

    for problem in problems[:50]:
        print("self-check:", problem, file=sys.stderr)
    print(f"self-check: {len(articles)} articles, {sum(len(p) for p, _ in articles.values())} paragraphs, "
          f"{len(glossary)} terms, {len(timeline)} events, {note_count} notes: "
          f"{'ok' if not problems else str(len(problems)) + ' problems'}", file=sys.stderr)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1)
    parser.add_argument("--paragraphs", type=int, default=80)
    parser.add_argument("--terms", type=int, default=120)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--notes", type=float, default=0.3, help="share of paragraphs with a translation note")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--density", choices=["real", "dense"], default="real",
                        help="real: the repository's glossary plus topical terms confined to a few articles, "
                             "links per paragraph as in the real article; dense: frequent n-grams of the "
                             "source as terms, nearly every term on every page (a stress test)")
    parser.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY,
                        help="with --density real: the glossary whose terms come first (content/glossary.toml)")
    parser.add_argument("--source", type=Path, help="the extracted source text (yao-2019-raw.txt)")
    parser.add_argument("--out", type=Path, help="write the duben site here")
    parser.add_argument("--hugo-out", type=Path, help="write the same text as a Hugo site here")
    parser.add_argument("--hugo-from", type=Path, metavar="DIR",
                        help="with --hugo-out: convert an existing duben site's articles instead of generating")
    parser.add_argument("--self-check", type=Path, metavar="DIR", help="validate a generated duben site and exit")
    args = parser.parse_args()

    if args.self_check:
        sys.exit(0 if self_check(args.self_check) else 1)
    if args.hugo_from:
        if not args.hugo_out:
            parser.error("--hugo-from needs --hugo-out")
        hugo_from_site(args.hugo_from, args.hugo_out)
        return
    if not args.out and not args.hugo_out:
        parser.error("give --out and/or --hugo-out")
    if args.articles < 1 or args.paragraphs < 1:
        parser.error("--articles and --paragraphs must be at least 1")
    source = args.source or DEFAULT_SOURCE
    if not source.exists():
        parser.error(f"source text {source} not found; pass --source yao-2019-raw.txt")

    site = Site(args, source)
    site.build()
    if args.out:
        site.write(args.out)
    if args.hugo_out:
        site.write_hugo(args.hugo_out)


if __name__ == "__main__":
    main()
