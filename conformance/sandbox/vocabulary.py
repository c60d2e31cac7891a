"""Words the catalog generator combines into categories, brands and product names.

Plain data, kept apart from the generator so the generator reads as logic. Names come
in English, Mongolian and Chinese. A few Mongolian names are deliberately missing,
because the documentation allows a missing translation to show as an empty string or as
the original name: ``""`` below means "shown empty", ``None`` "shown in English".
"""

from __future__ import annotations

from typing import NamedTuple


class CategoryWords(NamedTuple):
    en: str
    mn: str | None
    cn: str
    children: tuple[CategoryWords, ...] = ()


# One category per line, indented two spaces per level: English | Mongolian | Chinese.
# A Mongolian column of "~" means None (shown in English); an empty one means "".
_CATEGORY_OUTLINE = """
Food | Хүнс | 食品
  Instant Noodles | Шуурхай гоймон | 方便面
    Cup Noodles | Аягатай гоймон | 杯面
    Bag Noodles | Ууттай гоймон | 袋面
  Dairy | Сүүн бүтээгдэхүүн | 乳制品
    Milk | Сүү | 牛奶
    Cheese | ~ | 奶酪
  Snacks | Зууш | 零食
    Biscuits | Жигнэмэг | 饼干
    Candy |  | 糖果
Beverages | Ундаа | 饮料
  Tea | Цай | 茶
    Green Tea | Ногоон цай | 绿茶
    Milk Tea | Сүүтэй цай | 奶茶
  Juice | Жүүс | 果汁
    Fruit Juice | Жимсний жүүс | 水果汁
    Vegetable Juice | ~ | 蔬菜汁
Household | Гэр ахуй | 家居用品
  Cleaning | Цэвэрлэгээ | 清洁用品
    Laundry Detergent | Угаалгын нунтаг | 洗衣液
    Dish Soap | Аяга тавагны угаагч | 洗洁精
  Kitchenware | Гал тогооны хэрэгсэл | 厨具
    Bowls | Аяга | 碗
    Thermos Flasks | Термос | 保温瓶
Automotive | Автомашины хэрэгслийн бүтээгдэхүүн | 汽车用品
  Beauty Cleansing | Гоо сайхны цэвэрлэгээний бүтээгдэхүүн | 美容清洗
    Car Wash Bucket | 洗车水桶 | 洗车水桶
    Microfiber Towels |  | 超细纤维毛巾
  Interior Accessories | Дотор засал | 内饰用品
    Seat Cushions | Суудлын дэвсгэр | 座垫
    Phone Holders | Утасны тавиур | 手机支架
Apparel | Хувцас | 服装
  T-Shirts | Футболк | T恤
    Men's T-Shirts | Эрэгтэй футболк | 男士T恤
    Women's T-Shirts | Эмэгтэй футболк | 女士T恤
  Outerwear | Гадуур хувцас | 外套
    Down Jackets | Хөвөнтэй хүрэм | 羽绒服
    Fleece Jackets | ~ | 抓绒外套
"""
# (Car Wash Bucket copies the documentation's example, whose name_mn is Chinese.)


def _parse_outline(outline: str) -> tuple[CategoryWords, ...]:
    """Turn the indented outline into nested CategoryWords."""
    # Each stack entry is (depth, words, children collected so far).
    roots: list[CategoryWords] = []
    stack: list[tuple[int, tuple[str, str | None, str], list[CategoryWords]]] = []

    def close_until(depth: int) -> None:
        while stack and stack[-1][0] >= depth:
            _, (en, mn, cn), children = stack.pop()
            node = CategoryWords(en, mn, cn, tuple(children))
            (stack[-1][2] if stack else roots).append(node)

    for line in outline.strip("\n").splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        en, mn, cn = (part.strip() for part in line.split("|"))
        close_until(depth)
        stack.append((depth, (en, None if mn == "~" else mn, cn), []))
    close_until(0)
    return tuple(roots)


CATEGORY_TREE: tuple[CategoryWords, ...] = _parse_outline(_CATEGORY_OUTLINE)

# Brands per top-level category (English, Chinese). Several share a word ("Rabbit",
# "Steppe", "Silver") so that a partial brand match selects more than one brand.
BRANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "Food": (
        ("Rabbit Foods", "兔子食品"),
        ("Golden Rabbit", "金兔"),
        ("Steppe Dairy", "草原乳业"),
        ("Khan Kitchen", "可汗厨房"),
    ),
    "Beverages": (
        ("Blue Sky Drinks", "蓝天饮品"),
        ("Steppe Wind", "草原风"),
        ("Golden Rabbit", "金兔"),
    ),
    "Household": (
        ("Gobi Home", "戈壁家居"),
        ("Silver Horse", "银马"),
        ("Eastern Star", "东方之星"),
    ),
    "Automotive": (
        ("Silver Horse", "银马"),
        ("Road King", "路王"),
        ("Silver Star Auto", "银星汽配"),
    ),
    "Apparel": (
        ("Lucky Panda", "幸运熊猫"),
        ("Steppe Wind", "草原风"),
        ("Nomad Wear", "游牧服饰"),
    ),
}

# (English, Chinese, Mongolian) words placed before the product noun.
DESCRIPTORS: tuple[tuple[str, str, str], ...] = (
    ("Classic", "经典", "Сонгодог"),
    ("Premium", "优质", "Дээд зэрэглэлийн"),
    ("Mini", "迷你", "Жижиг"),
    ("Family Pack", "家庭装", "Гэр бүлийн"),
    ("Deluxe", "豪华", "Тансаг"),
    ("Original", "原味", "Анхны"),
    ("Eco", "环保", "Эко"),
    ("Travel", "旅行装", "Аяллын"),
)

# Products filed under a non-leaf category are assortments of it.
ASSORTMENT = ("Selection", "精选", "багц")

TAGS = ("popular", "new", "sale", "seasonal")

COLOR_VARIANT_ID = 152
SIZE_VARIANT_ID = 153

# option_id -> (English, Chinese, Mongolian), in display order.
COLORS: dict[int, tuple[str, str, str]] = {
    1234: ("Red", "红色", "Улаан"),
    1235: ("Blue", "蓝色", "Цэнхэр"),
    1236: ("Green", "绿色", "Ногоон"),
    1237: ("Black", "黑色", "Хар"),
    1238: ("White", "白色", "Цагаан"),
}
SIZES: dict[int, tuple[str, str, str]] = {
    2345: ("Small", "小号", "Жижиг"),
    2346: ("Large", "大号", "Том"),
    2347: ("Medium", "中号", "Дунд"),
    2348: ("XL", "加大号", "XL"),
}
