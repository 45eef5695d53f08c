"""tf.strings.regex_replace / regex_full_match: RE2's syntax and replacement rules, where they
differ from Python's `re` (run by tests/tfx_lite/test_strings.py; strings_regex_program.tf.txt is
what TensorFlow 2.21 printed)."""
from program import tf

S = tf.strings


def replace(label, text, pattern, rewrite, replace_global=True):
    try:
        r = S.regex_replace(text, pattern, rewrite, replace_global=replace_global)
    except Exception as e:  # noqa: BLE001 -- the program reports what was raised
        print(f"{label}: {type(e).__name__}")
        return
    print(f"{label}: {r.numpy()!r} {r.dtype.name} {r.shape}")


def full(label, text, pattern):
    try:
        r = S.regex_full_match(text, pattern)
    except Exception as e:  # noqa: BLE001
        print(f"{label}: {type(e).__name__}")
        return
    print(f"{label}: {r.numpy()!r} {r.dtype.name} {r.shape}")


replace("html tags", ["Text with tags.<br /><b>contains html</b>"], "<[^>]+>", " ")
replace("groups", ["John Smith", "Jane Doe"], r"(\w+) (\w+)", r"\2, \1")
replace("group 0", ["abc"], "b", r"[\0]")
replace("first only", ["aaa"], "a", "b", replace_global=False)
replace("global", ["aaa"], "a", "b")
replace("empty matches", ["abc"], "x*", "-")
replace("empty pattern", ["abc"], "", "-")
replace("empty match after a match", ["abxd"], "x*", "-")
replace("escaped backslash in rewrite", ["a.b"], r"\.", r"\\")
replace("named group", ["ab"], r"(?P<x>a)", r"\1\1")
replace("rewrite group beyond pattern", ["ab"], "(a)", r"\2")
replace("rewrite bad escape (global)", ["abab"], "(a)", r"x\ny")
replace("rewrite bad escape (first)", ["ab"], "(a)", r"x\n", replace_global=False)
replace("rewrite \\10", ["ab"], "(a)", r"\10")
replace("rewrite $1 literal", ["ab"], "(a)", "$1")
replace("rewrite trailing backslash", ["ab"], "a", "x\\")
replace("unmatched group", ["b"], "(a)?b", r"[\1]")
replace("tensor pattern", ["aa"], tf.constant("a"), tf.constant("b"))
replace("tensor rewrite bad group", ["ab"], tf.constant("(a)"), tf.constant(r"\3"))
replace("dot and newline", ["a\nb"], ".", "x")
replace("dot utf8", ["héllo 语言 😀"], ".", "x")
replace("dot invalid utf8", [b"\xff"], ".", "x")
replace("s flag", ["a\nb"], "(?s).", "x")
replace("caret", ["ab\nab"], "^a", "x")
replace("m flag caret", ["ab\nab"], "(?m)^a", "x")
replace("dollar", ["a\nb\n"], "$", "X")
replace("m flag dollar", ["a\nb\n"], "(?m)$", "X")
replace("dollar before final newline", ["ab\n"], "b$", "x")
replace("i flag", ["AB\nab"], "(?i)^a", "x")
replace("i flag unicode", ["É é"], "(?i)é", "x")
replace("scoped flag group", ["AaA"], "a(?i:a)A", "x")
replace("U flag", ["aaa"], "(?U)a+", "x")
replace("U flag lazy", ["aaa"], "(?U)a+?", "x")
replace("\\z", ["ab"], r"b\z", "x")
replace("\\A", ["ab"], r"\Aa", "x")
replace("\\Q..\\E", ["a.b"], r"\Q.\E", "x")
replace("repeat", ["aaa"], "a{2}", "x")
replace("repeat range", ["aaaaa"], "a{2,3}", "x")
replace("literal brace", ["a{b"], "a{b", "x")
replace("\\x61", ["ab"], r"\x61", "x")
replace("\\x{e9}", ["é"], r"\x{e9}", "x")
replace("octal", ["a"], r"\141", "x")
replace("\\s no vertical tab", ["a\vb c"], r"\s", "x")
replace("\\w ascii", ["é1_"], r"\w", "x")
replace("\\W", ["é1_-"], r"\W", "x")
replace("\\d ascii", ["1٣"], r"\d", "x")
replace("\\b ascii", ["é a"], r"\b", "|")
replace("\\B", ["ab c"], r"\B", "|")
replace("class with \\w", ["a-é"], r"[\w-]", "x")
replace("negated class", ["a\nb"], "[^a]", "x")
replace("posix class", ["a1 B"], "[[:alpha:]]", "x")
replace("posix digit", ["a1 B"], "[[:digit:][:space:]]", "x")
replace("\\pL", ["é1a"], r"\pL", "x")
replace("\\p{L}", ["é1a"], r"\p{L}", "x")
replace("\\PL", ["é1a"], r"\PL", "x")
replace("\\pN", ["é1a٣"], r"\pN", "x")
replace("\\p{Lu}", ["aÉb"], r"\p{Lu}", "x")
replace("[\\p{Nd}]", ["a1٣"], r"[\p{Nd}]", "x")
replace("non-greedy", ["<a><b>"], "<.+?>", "x")
replace("alternation", ["cat dog bird"], "cat|bird", "x")
replace("scalar input", "ab", "a", "x")
replace("2d input", [["ab", "ba"]], "a", "x")
replace("empty input", tf.constant([], tf.string), "a", "x")
text = ["a]b-AB\nz ca3"]
for pattern in ["^*a", "a||b", "()", "(|a)", "a{,3}", "a{2,}", "x{0}", "[]a]", "[^]a]", "[a-]", "[-a]", "[\\]]",
                "\\pZ", "[\\d-z]", "(?i:A)b", "(?i)a(?-i)b", "a(?i)b|c", "(a(?i)b|c)B", "(?P<n>a)(?P<n>b)",
                "(?s:.)", "a*?", "a??", "(?:)", "[\\x41-\\x43]", "\\Qa.b"]:
    replace(f"pattern {pattern!r}", text, pattern, "<>")
full("full match", ["abc", "abd", "xabc"], "ab.")
full("full match tensor", ["abc", "abd", "xabc"], tf.constant("a.*"))
full("full match utf8", ["语言", "héllo"], "..?")
full("full match \\w", ["a1", "b_", "é"], r"\w\w?")
full("full match posix", ["a1", "b_"], "[[:alpha:]][[:digit:]]")
full("full match \\pL", ["é", "a", "1"], r"\pL")
full("full match non-greedy", ["aaa"], "a+?")
full("full match dollar newline", ["ab\n"], "ab$")
full("full match alternation", ["ab", "abc"], "ab|abc")
full("full match scalar", "abc", "a.c")
