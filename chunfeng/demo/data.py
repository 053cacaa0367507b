"""The demo federation: 大连市总工会 in 2011, its ten county-level unions, industrial unions,
some grassroots unions, one user per role at three levels, and the seed's 2012 campaign."""

import datetime as dt

CITY = ("210200", "大连市总工会")

COUNTIES = [
    ("210202", "中山区总工会"),
    ("210203", "西岗区总工会"),
    ("210204", "沙河口区总工会"),
    ("210211", "甘井子区总工会"),
    ("210212", "旅顺口区总工会"),
    ("210213", "金州区总工会"),
    ("210224", "长海县总工会"),
    ("210281", "瓦房店市总工会"),
    ("210282", "普兰店市总工会"),
    ("210283", "庄河市总工会"),
]

INDUSTRIES = [
    ("2102C01", "大连市机械冶金工会"),
    ("2102C02", "大连市教育工会"),
    ("2102C03", "大连市医务工会"),
    ("2102C04", "大连市交通运输工会"),
    ("2102C05", "大连市财贸工会"),
    ("2102C06", "大连市建设工会"),
    ("2102C07", "大连市石化工会"),
]

GRASSROOTS = [
    ("210202001", "中山区青泥洼桥街道总工会", "210202"),
    ("210202002", "中山区人民路街道总工会", "210202"),
    ("210202101", "大连中山商业大厦有限公司工会", "210202"),
    ("210203001", "西岗区八一路街道总工会", "210203"),
    ("210203002", "西岗区香炉礁街道总工会", "210203"),
    ("210203101", "大连西岗机械制造有限公司工会", "210203"),
]

DEMO_PASSWORD = "chunfeng2012"

# (username, unit code, role, full name)
USERS = [
    ("city_admin", "210200", "admin", "市总管理员"),
    ("city_reviewer", "210200", "reviewer", "由伟"),
    ("city_filler", "210200", "filler", "市总填报员"),
    ("city_viewer", "210200", "viewer", "市总审计"),
    ("zs_admin", "210202", "admin", "中山区管理员"),
    ("zs_reviewer", "210202", "reviewer", "中山区审核员"),
    ("zs_filler", "210202", "filler", "中山区填报员"),
    ("zs_viewer", "210202", "viewer", "中山区审计"),
    ("xg_admin", "210203", "admin", "西岗区管理员"),
    ("xg_reviewer", "210203", "reviewer", "西岗区审核员"),
    ("xg_filler", "210203", "filler", "西岗区填报员"),
    ("xg_viewer", "210203", "viewer", "西岗区审计"),
    ("qnwq_filler", "210202001", "filler", "青泥洼桥街道填报员"),
]

CAMPAIGN = {
    "name": "2012年元旦春节送温暖工程“春风行动”",
    "period_start": dt.date(2011, 12, 20),
    "period_end": dt.date(2012, 1, 22),  # 春节 is 2012-01-23: the activity runs until the eve
    "deadline": dt.date(2012, 1, 8),
    "forms": {"F1": None, "F2": dt.date(2011, 12, 31)},
}
