#!/usr/bin/env python3
# gen-vcards.py: N realistic vCard 3.0 cards (Chinese and Latin names) for the bench folder; `gen-vcards.py N [PREFIX]` to stdout.
import sys

FAMILY = [("Zhang", "张"), ("Wang", "王"), ("Li", "李"), ("Liu", "刘"), ("Chen", "陈"),
          ("Yang", "杨"), ("Huang", "黄"), ("Zhao", "赵"), ("Wu", "吴"), ("Zhou", "周"),
          ("Smith", None), ("Müller", None), ("García", None), ("Tanaka", None), ("Kim", None)]
GIVEN = [("Wei", "伟"), ("Fang", "芳"), ("Na", "娜"), ("Min", "敏"), ("Jing", "静"),
         ("Lei", "磊"), ("Qiang", "强"), ("Yan", "艳"), ("Jun", "军"), ("Yong", "勇"),
         ("Anna", None), ("Peter", None), ("Maria", None), ("Kenji", None), ("Ji-woo", None)]
ORGS = ["北京某某科技股份有限公司", "Acme Widgets GmbH", "上海华东贸易有限公司", "Globex Corporation",
        "深圳前海金融服务有限公司", "Initech Ltd.", "杭州云计算研究院", "Umbrella Logistics"]
TITLES = ["工程师", "Sales Director", "总经理", "Product Manager", "研究员", "CTO", "会计", "Consultant"]
CITIES = [("北京", "北京市", "100080"), ("上海", "上海市", "200000"), ("Berlin", "Berlin", "10115"),
          ("深圳", "广东省", "518000"), ("Madrid", "Madrid", "28001"), ("杭州", "浙江省", "310000")]


def esc(s):
    return s.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def card(i, prefix):
    fam, fam_zh = FAMILY[i % len(FAMILY)]
    giv, giv_zh = GIVEN[(i // len(FAMILY)) % len(GIVEN)]
    if fam_zh and giv_zh and i % 3 == 0:
        fn, n = f"{fam_zh}{giv_zh} {giv} {fam} {i}", f"{fam_zh};{giv_zh};;;"
    else:
        fn, n = f"{giv} {fam} {i}", f"{esc(fam)};{esc(giv)};;;"
    org = ORGS[i % len(ORGS)]
    city, region, postal = CITIES[i % len(CITIES)]
    mail = f"{giv.lower()}.{fam.lower()}.{i}@example.com".encode("ascii", "ignore").decode()
    lines = [
        "BEGIN:VCARD", "VERSION:3.0",
        f"UID:{prefix}-{i:05d}",
        f"FN:{esc(fn)}", f"N:{n}",
        f"ORG:{esc(org)};{esc('Dept ' + str(i % 7))}",
        f"TITLE:{esc(TITLES[i % len(TITLES)])}",
        f"EMAIL;TYPE=WORK:{mail}",
        f"TEL;TYPE=CELL:+86 139 {i % 10000:04d} {(i * 7) % 10000:04d}",
        f"TEL;TYPE=WORK:+49 30 {1000000 + i}",
        f"ADR;TYPE=WORK:;;{esc(str(i) + ' 中关村大街 Road ' + str(i % 50))};{esc(city)};{esc(region)};{postal};",
        f"URL:https://example.com/people/{i}",
        f"NOTE:{esc('met at the trade fair, booth ' + str(i))}",
        "END:VCARD",
    ]
    return "\r\n".join(lines) + "\r\n"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    prefix = sys.argv[2] if len(sys.argv) > 2 else "bench"
    out = sys.stdout.buffer
    for i in range(n):
        out.write(card(i, prefix).encode("utf-8"))


if __name__ == "__main__":
    main()
