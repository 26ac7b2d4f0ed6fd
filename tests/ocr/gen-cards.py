#!/usr/bin/python3
"""gen-cards.py: render business cards with known fields (Chinese and English), each clean, photographed and at low resolution, with the truth beside each.

    tests/ocr/gen-cards.py OUTDIR [COUNT] [SEED]
    tests/ocr/gen-cards.py --card CARD.json OUT.png [photo]   (one given card)

Writes OUTDIR/NNN-clean.png, NNN-photo.jpg, NNN-low.jpg and NNN.json (the
truth: lang, layout, font and the fields; phones in E.164). Half the cards
are Chinese. Layouts: left, center, two columns (a divider between name and
contacts), banner (organisation on a coloured band). Fonts come from Debian
packages (fonts-noto-cjk, fonts-wqy-microhei, fonts-dejavu-core, fonts-lato).
Deterministic for a given SEED. Needs python3-pil only.
"""
import json
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

W, H = 1050, 600  # 3.5 x 2 inches at 300 dpi

ZH_FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
]
EN_FONTS = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 0),
    ("/usr/share/fonts/truetype/lato/Lato-Regular.ttf", "/usr/share/fonts/truetype/lato/Lato-Bold.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
]
LAYOUTS = ["left", "center", "twocol", "banner"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯健俊帆帅旭宁晨阳瑞博思远佳琳欣怡雪婷颖慧倩晶"
PINYIN = {}
ZH_TITLES = ["总经理", "销售总监", "技术总监", "高级工程师", "市场经理", "产品经理", "财务主管", "董事长", "副总裁",
             "项目经理", "首席执行官", "人力资源经理", "设计总监", "研发主管", "客户经理", "首席技术官"]
ZH_DEPTS = ["研发部", "市场部", "销售部", "财务部", "技术中心", "国际业务部"]
ZH_CITIES = [("北京", "北京市", ["海淀区", "朝阳区", "东城区"]), ("上海", "上海市", ["浦东新区", "徐汇区", "静安区"]),
             ("深圳", "广东省深圳市", ["南山区", "福田区"]), ("广州", "广东省广州市", ["天河区", "越秀区"]),
             ("杭州", "浙江省杭州市", ["西湖区", "滨江区"]), ("成都", "四川省成都市", ["武侯区", "高新区"]),
             ("南京", "江苏省南京市", ["鼓楼区", "玄武区"]), ("武汉", "湖北省武汉市", ["洪山区", "江汉区"])]
ZH_WORDS = [("华创", "huachuang"), ("东方", "dongfang"), ("博远", "boyuan"), ("星辰", "xingchen"), ("恒信", "hengxin"),
            ("天成", "tiancheng"), ("金桥", "jinqiao"), ("云海", "yunhai"), ("中科", "zhongke"), ("新锐", "xinrui"),
            ("瑞丰", "ruifeng"), ("德润", "derun"), ("海纳", "haina"), ("启明", "qiming")]
ZH_TRADES = ["科技", "信息技术", "贸易", "电子", "软件", "生物医药", "智能制造", "物流", "文化传媒", "能源"]
ZH_SUFFIX = ["有限公司", "股份有限公司", "集团", "研究院", "有限责任公司"]
ZH_STREETS = ["中关村大街", "陆家嘴环路", "科技园路", "天河路", "文三路", "天府大道", "中山路", "解放大道", "建国路", "人民路"]

EN_FIRST = ["James", "Mary", "Robert", "Linda", "Michael", "Susan", "David", "Karen", "Daniel", "Laura", "Peter", "Emma",
            "Thomas", "Olivia", "Mark", "Grace", "Steven", "Helen", "Andrew", "Claire", "Brian", "Julia", "Kevin", "Anna"]
EN_LAST = ["Smith", "Johnson", "Walker", "Miller", "Davis", "Garcia", "Wilson", "Moore", "Taylor", "Anderson", "Thomas",
           "Jackson", "Harris", "Martin", "Thompson", "Young", "Turner", "Parker", "Collins", "Morgan", "Bennett", "Hughes"]
EN_TITLES = ["Sales Director", "Senior Software Engineer", "Product Manager", "Chief Executive Officer", "Marketing Manager",
             "Head of Operations", "Account Executive", "Vice President", "Chief Technology Officer", "Project Manager",
             "Senior Consultant", "Design Lead", "Financial Analyst", "Business Development Manager"]
EN_ORG1 = ["Northwind", "Blue River", "Acme", "Silver Peak", "Brightline", "Redwood", "Summit", "Harbor", "Lakeside",
           "Pinecrest", "Granite", "Oakridge", "Clearwater", "Evergreen"]
EN_ORG2 = ["Robotics", "Software", "Trading", "Analytics", "Logistics", "Systems", "Consulting", "Energy", "Networks", "Labs"]
EN_SUFFIX = ["Inc.", "Ltd.", "LLC", "Corporation", "Group", "GmbH"]
EN_STREETS = ["Market Street", "Main Street", "Oak Avenue", "Park Road", "Mission Street", "Broadway", "Elm Street", "Lake Drive"]
EN_CITIES = [("San Francisco", "CA", "941"), ("Seattle", "WA", "981"), ("Austin", "TX", "787"), ("Boston", "MA", "021"),
             ("Denver", "CO", "802"), ("Chicago", "IL", "606"), ("Portland", "OR", "972"), ("New York", "NY", "100")]
# area codes in use in the US and Canada: a card's number must be one that
# exists (libphonenumber, as every phone livecard stores, refuses the rest)
NANP_AREAS = [int(a) for a in """
201 202 203 205 206 207 208 209 210 212 213 214 215 216 217 218 219 224 225 228 229 231 234 239 240
248 251 252 253 254 256 260 262 267 269 270 276 281 301 302 303 304 305 307 308 309 310 312 313 314
315 316 317 318 319 320 321 323 330 334 336 337 339 347 351 352 360 361 386 401 402 404 405 406 407
408 409 410 412 413 414 415 417 419 423 424 425 432 434 435 440 443 469 478 479 480 484 501 502 503
504 505 507 508 509 510 512 513 515 516 517 518 520 530 540 541 559 561 562 563 567 570 571 573 574
580 585 586 601 602 603 605 606 607 608 609 610 612 614 615 616 617 618 619 620 623 626 630 631 636
641 646 650 651 660 661 662 678 682 701 702 703 704 706 707 708 712 713 714 715 716 717 718 719 720
724 727 731 732 734 740 754 757 760 763 765 770 772 773 774 775 781 785 786 801 802 803 804 805 806
808 810 812 813 814 815 816 817 818 828 830 831 832 843 845 847 848 850 856 857 858 859 860 862 863
864 865 870 901 903 904 906 907 908 909 910 912 913 914 915 916 917 918 919 920 925 928 931 936 937
940 941 949 951 952 954 956 970 971 972 973 978 979 980 985 989""".split()]


def nanp_area(v):
    """an area code in use for a drawn number v (201..989): v itself when in
    use, else one of the list (the random stream stays as it was)"""
    return str(v if v in NANP_AREAS else NANP_AREAS[v % len(NANP_AREAS)])


TLDS = [".com", ".cn", ".com.cn", ".net"]
EN_TLDS = [".com", ".io", ".net", ".org", ".co"]


def zh_card(rnd):
    name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice([1, 2, 2])))
    word, py = rnd.choice(ZH_WORDS)
    city, prov, dists = rnd.choice(ZH_CITIES)
    org = city + word + rnd.choice(ZH_TRADES) + rnd.choice(ZH_SUFFIX)
    addr = prov + rnd.choice(dists) + rnd.choice(ZH_STREETS) + str(rnd.randint(1, 999)) + "号"
    if rnd.random() < 0.4:
        addr += rnd.choice(["A座", "B座", ""]) + str(rnd.randint(2, 28)) + "层"
    mobile = "1" + rnd.choice("3578") + str(rnd.randint(0, 9)) + "".join(str(rnd.randint(0, 9)) for _ in range(8))
    if mobile.startswith("174"):  # 174 is no mobile range (satellite, maritime)
        mobile = "177" + mobile[3:]
    phones = [("手机", "%s %s %s" % (mobile[:3], mobile[3:7], mobile[7:]), "+86" + mobile)]
    if rnd.random() < 0.6:
        area = rnd.choice(["010", "021", "0755", "020", "0571", "028", "025", "027"])
        local = "".join(str(rnd.randint(1, 9)) for _ in range(8 if len(area) == 3 else 8))
        phones.append(("电话", "%s-%s %s" % (area, local[:4], local[4:]), "+86" + area[1:] + local))
    dom = py + rnd.choice(["tech", "group", "", "corp"]) + rnd.choice(TLDS)
    user = rnd.choice(["info", "sales", "contact"]) if rnd.random() < 0.3 else \
        "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(3, 8)))
    return {"lang": "zh", "name": name, "title": rnd.choice(ZH_TITLES),
            "department": rnd.choice(ZH_DEPTS) if rnd.random() < 0.3 else "",
            "organization": org, "address": addr, "phones": phones,
            "email": user + "@" + dom, "url": "www." + dom if rnd.random() < 0.7 else ""}


def en_card(rnd):
    first, last = rnd.choice(EN_FIRST), rnd.choice(EN_LAST)
    o1, o2 = rnd.choice(EN_ORG1), rnd.choice(EN_ORG2)
    org = "%s %s %s" % (o1, o2, rnd.choice(EN_SUFFIX))
    city, st, zp = rnd.choice(EN_CITIES)
    addr = "%d %s, %s, %s %s%02d" % (rnd.randint(10, 9999), rnd.choice(EN_STREETS), city, st, zp, rnd.randint(1, 99))
    area = nanp_area(rnd.randint(201, 989))
    num = str(rnd.randint(200, 999)) + "".join(str(rnd.randint(0, 9)) for _ in range(4))
    fmt = rnd.choice(["+1 %s %s %s", "+1 (%s) %s-%s", "+1 %s-%s-%s"])
    phones = [("Tel", fmt % (area, num[:3], num[3:]), "+1" + area + num)]
    if rnd.random() < 0.5:
        a2, n2 = nanp_area(rnd.randint(201, 989)), str(rnd.randint(200, 999)) + "".join(str(rnd.randint(0, 9)) for _ in range(4))
        phones.append(("Mobile", fmt % (a2, n2[:3], n2[3:]), "+1" + a2 + n2))
    dom = (o1 + o2).lower().replace(" ", "") + rnd.choice(EN_TLDS)
    user = rnd.choice(["%s.%s" % (first.lower(), last.lower()), first.lower(), first[0].lower() + last.lower()])
    return {"lang": "en", "name": first + " " + last, "title": rnd.choice(EN_TITLES), "department": "",
            "organization": org, "address": addr, "phones": phones,
            "email": user + "@" + dom, "url": "www." + dom if rnd.random() < 0.7 else ""}


def font(spec, size, bold=False):
    path = spec[1] if bold else spec[0]
    return ImageFont.truetype(path, size, index=spec[2])


def text_w(d, s, f):
    b = d.textbbox((0, 0), s, font=f)
    return b[2] - b[0]


def render(card, rnd, layout, fspec):
    zh = card["lang"] == "zh"
    bg = rnd.choice([(255, 255, 255), (250, 248, 240), (245, 247, 250)])
    ink = rnd.choice([(20, 20, 20), (30, 40, 70), (40, 40, 40)])
    accent = rnd.choice([(180, 30, 40), (20, 80, 150), (30, 110, 70)])
    im = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(im)
    name_f = font(fspec, rnd.randint(60, 68) if zh else rnd.randint(50, 58), True)
    title_f = font(fspec, 30 if zh else 28)
    org_f = font(fspec, 34 if zh else 32, True)
    small = font(fspec, 24 if zh else 23)
    lab = (lambda l, v: "%s: %s" % (l, v))
    contact = [lab(l, v) for l, _, v in [(p[0], p[2], p[1]) for p in card["phones"]]]
    contact.append(("邮箱: " if zh else "Email: ") + card["email"])
    if card["url"]:
        contact.append(("网址: " if zh else "Web: ") + card["url"])
    contact.append(("地址: " if zh else "") + card["address"])
    title = card["title"] if not card["department"] else card["department"] + " " + card["title"]
    if card["department"]:
        title = card["title"]
    if layout == "left":
        x, y = 70, 60
        d.text((x, y), card["organization"], font=org_f, fill=accent)
        y += 80
        d.text((x, y), card["name"], font=name_f, fill=ink)
        y += 90
        d.text((x, y), title, font=title_f, fill=ink)
        if card["department"]:
            d.text((x + text_w(d, title, title_f) + 30, y), card["department"], font=title_f, fill=ink)
        y = H - 40 - 36 * len(contact)
        for line in contact:
            d.text((x, y), line, font=small, fill=ink)
            y += 36
    elif layout == "center":
        y = 50
        for s, f, c, step in [(card["name"], name_f, ink, 88), (title, title_f, ink, 50),
                              (card["organization"], org_f, accent, 70)]:
            d.text(((W - text_w(d, s, f)) // 2, y), s, font=f, fill=c)
            y += step
        d.line((150, y, W - 150, y), fill=accent, width=2)
        y += 18
        for line in contact:
            d.text(((W - text_w(d, line, small)) // 2, y), line, font=small, fill=ink)
            y += 35
    elif layout == "twocol":
        x, y = 60, 110
        d.text((x, y), card["name"], font=name_f, fill=ink)
        d.text((x, y + 90), title, font=title_f, fill=ink)
        org_small = font(fspec, 26 if zh else 25, True)
        # the organisation may need two lines in a narrow column: shrink instead
        o = card["organization"]
        f = org_small
        while text_w(d, o, f) > 400 and f.size > 16:
            f = font(fspec, f.size - 2, True)
        d.text((x, y + 150), o, font=f, fill=accent)
        d.line((490, 60, 490, H - 60), fill=accent, width=3)
        xr, yr = 520, 110
        sm = small
        while max(text_w(d, l, sm) for l in contact) > W - xr - 30 and sm.size > 14:
            sm = font(fspec, sm.size - 1)
        for line in contact:
            d.text((xr, yr), line, font=sm, fill=ink)
            yr += int(sm.size * 1.6)
    else:  # banner
        d.rectangle((0, 0, W, 110), fill=accent)
        d.text((60, 30), card["organization"], font=org_f, fill=(255, 255, 255))
        x, y = 60, 150
        d.text((x, y), card["name"], font=name_f, fill=ink)
        d.text((x + text_w(d, card["name"], name_f) + 40, y + (name_f.size - title_f.size)), title,
               font=title_f, fill=ink)
        y = 270
        for line in contact:
            d.text((x, y), line, font=small, fill=ink)
            y += 38
    return im


def photograph(im, rnd):
    """the card on a table: perspective, rotation, uneven light, blur, noise, JPEG q60"""
    cw, ch = 1600, 1200
    base = Image.new("RGB", (cw, ch), rnd.choice([(90, 70, 50), (60, 65, 70), (120, 110, 95), (40, 50, 45)]))
    tex = Image.effect_noise((cw // 8, ch // 8), 40).resize((cw, ch), Image.BILINEAR).convert("RGB")
    base = Image.blend(base, tex, 0.25)
    scale = rnd.uniform(1.15, 1.3)
    card = im.resize((int(W * scale), int(H * scale)), Image.LANCZOS).convert("RGBA")
    # perspective: move the corners a little
    w, h = card.size
    j = lambda: rnd.uniform(-0.035, 0.035)
    quad = [(w * j(), h * j()), (w * j(), h * (1 + j())), (w * (1 + j()), h * (1 + j())), (w * (1 + j()), h * j())]
    card = card.transform((w, h), Image.QUAD, [c for p in quad for c in p], Image.BICUBIC)
    angle = rnd.uniform(2, 5) * rnd.choice([-1, 1])
    card = card.rotate(angle, Image.BICUBIC, expand=True)
    ox = (cw - card.size[0]) // 2 + rnd.randint(-60, 60)
    oy = (ch - card.size[1]) // 2 + rnd.randint(-60, 60)
    base.paste(card, (ox, oy), card)
    # uneven light: a gradient from one side
    g = Image.linear_gradient("L").rotate(rnd.choice([0, 90, 180, 270])).resize((cw, ch))
    shade = Image.new("RGB", (cw, ch), (0, 0, 0))
    lo = rnd.uniform(0.45, 0.6)
    light = g.point(lambda v: int(255 * (lo + (1 - lo) * v / 255)))
    base = Image.composite(base, shade, light)
    base = base.filter(ImageFilter.GaussianBlur(rnd.uniform(0.8, 1.4)))
    noise = Image.effect_noise((cw, ch), 18).convert("RGB")
    base = Image.blend(base, noise, 0.08)
    return base


def one_card():
    """--card CARD.json OUT.png [photo]: the card of CARD.json (fields as in
    zh_card/en_card, plus layout and font index) clean, or photographed"""
    card = json.load(open(sys.argv[2], encoding="utf-8"))
    rnd = random.Random(7)
    card.setdefault("department", "")
    card.setdefault("url", "")
    fonts = ZH_FONTS if card["lang"] == "zh" else EN_FONTS
    im = render(card, rnd, card.get("layout", "left"), fonts[card.get("font", 0)])
    if sys.argv[4:] == ["photo"]:
        photograph(im, rnd).save(sys.argv[3], quality=60)
    else:
        im.save(sys.argv[3])


def main():
    if sys.argv[1] == "--card":
        return one_card()
    out = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 24
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        rnd = random.Random(seed * 100003 + i)
        zh = i % 2 == 0
        card = zh_card(rnd) if zh else en_card(rnd)
        layout = LAYOUTS[(i // 2) % len(LAYOUTS)]
        fspec = (ZH_FONTS if zh else EN_FONTS)[(i // 8) % (3 if zh else 4)]
        im = render(card, rnd, layout, fspec)
        stem = os.path.join(out, "%03d" % i)
        im.save(stem + "-clean.png")
        photograph(im, rnd).save(stem + "-photo.jpg", quality=60)
        im.resize((640, 640 * H // W), Image.LANCZOS).save(stem + "-low.jpg", quality=85)
        truth = {"lang": card["lang"], "layout": layout, "font": os.path.basename(fspec[0]),
                 "name": card["name"], "title": card["title"],
                 "department": card["department"] if layout == "left" else "",
                 "organization": card["organization"], "address": card["address"],
                 "phones": [p[2] for p in card["phones"]], "email": card["email"], "url": card["url"]}
        with open(stem + ".json", "w", encoding="utf-8") as f:
            json.dump(truth, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
