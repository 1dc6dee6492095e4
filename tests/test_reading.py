"""The reader: THE text per the contract, and one clear error for each kind of bad input."""

import pytest

from channelcost import paths
from channelcost.reading import (
    ArticleError,
    BinaryArticle,
    EmptyArticle,
    HtmlArticle,
    MissingArticle,
    NotUtf8Article,
    read_article,
)

ZH = "给天猫打电话免费吗？通常天猫官方客服电话按照运营商的通话费标准收费。\n在线客服和智能机器人是免费的。\n"


def test_seed_is_read_exactly_as_the_contract_says():
    art = read_article(paths.SEED_ARTICLE)
    assert art.article_id == "tmall-call-free"
    with open(paths.SEED_ARTICLE, encoding="utf-8-sig") as fh:
        assert art.text == fh.read()


@pytest.mark.parametrize(
    "raw",
    [
        ZH.encode("utf-8"),
        b"\xef\xbb\xbf" + ZH.encode("utf-8"),  # BOM
        ZH.replace("\n", "\r\n").encode("utf-8"),  # CRLF
        ZH.replace("\n", "\r").encode("utf-8"),  # old Mac line ends
        ("\ufeff" + ZH.replace("\n", "\r\n")).encode("utf-8"),
    ],
    ids=["plain", "bom", "crlf", "cr", "bom-crlf"],
)
def test_text_matches_python_universal_newlines(tmp_path, raw):
    p = tmp_path / "a.txt"
    p.write_bytes(raw)
    with open(p, encoding="utf-8-sig") as fh:
        expected = fh.read()
    assert read_article(p).text == expected
    assert "\r" not in read_article(p).text


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


@pytest.mark.parametrize(
    "name,data,error,words",
    [
        ("empty.txt", b"", EmptyArticle, ["empty"]),
        ("blank.txt", b"  \n\t\r\n \xe3\x80\x80\n", EmptyArticle, ["empty"]),
        ("bom-only.txt", b"\xef\xbb\xbf\n", EmptyArticle, ["empty"]),
        ("gbk.txt", ZH.encode("gb18030"), NotUtf8Article, ["not UTF-8", "GB18030"]),
        ("big5.txt", "打電話給客服要錢嗎？線上客服是免費的。".encode("big5"), NotUtf8Article, ["not UTF-8", "Big5"]),
        ("utf16.txt", ZH.encode("utf-16"), NotUtf8Article, ["not UTF-8", "UTF-16"]),
        ("utf16le.txt", ZH.encode("utf-16-le"), NotUtf8Article, ["not UTF-8", "UTF-16LE"]),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), BinaryArticle, ["binary"]),
        ("zeros.txt", b"abc\x00\x00\x01\x02\xff\xfe\x00" * 20, BinaryArticle, ["binary"]),
        (
            "page.txt",
            ("<!DOCTYPE html><html><head><title>t</title></head><body><p>" + ZH + "</p></body></html>").encode(),
            HtmlArticle,
            ["HTML"],
        ),
        (
            "fragment.txt",
            ("<div>" + "<p>免费吗</p><br>" * 6 + "</div>").encode(),
            HtmlArticle,
            ["HTML"],
        ),
        ("surrogate.txt", "免费".encode() + b"\xed\xa0\x80" + "吗".encode(), NotUtf8Article, ["not UTF-8"]),
    ],
)
def test_bad_input_raises_a_typed_one_line_error(tmp_path, name, data, error, words):
    p = _write(tmp_path, name, data)
    with pytest.raises(error) as info:
        read_article(p)
    msg = str(info.value)
    assert isinstance(info.value, ArticleError)
    assert "\n" not in msg
    assert msg.startswith(str(p) + ": ")
    for w in words:
        assert w in msg


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(MissingArticle, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(MissingArticle, match="directory"):
        read_article(tmp_path)


def test_text_that_mentions_html_is_still_text(tmp_path):
    p = _write(tmp_path, "ok.txt", "文章里提到了<br>标签和 a<b 的比较，但这不是网页。\n".encode())
    assert "<br>" in read_article(p).text


def test_article_id_is_the_file_stem(tmp_path):
    p = _write(tmp_path, "jd-hotline.v2.txt", ZH.encode())
    assert read_article(p).article_id == "jd-hotline.v2"
