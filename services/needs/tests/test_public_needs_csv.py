"""The public needs list as a spreadsheet (`/public/needs.csv`): every community selected, each
count rounded and worded as the page words it (约3, 少于3) — against the real PostgreSQL and
NATS."""

import csv
import io

from .test_public_needs_small_cells import BROWSER, PUBLIC
from .test_public_needs_small_cells import least as least
from .test_public_needs_small_cells import needs as needs
from .test_public_needs_small_cells import neighbours as neighbours

HEADINGS = [
    "街道", "社区", "需求类别", "待回应", "回应中", "微心愿", "微创投", "志愿服务活动",
    "紧急", "较急", "一般", "不急", "最早待回应需求登记于",
]  # fmt: skip


async def test_each_count_is_rounded_and_says_so_in_its_cell(needs, neighbours):
    await neighbours("high", "high", "high", "normal")
    await neighbours("normal", community_id="xinan")
    response = await needs.get("/public/needs.csv", headers=PUBLIC)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''%E9%9C%80%E6%B1%82%E6%B8%85%E5%8D%95.csv"
    )
    assert response.text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff"))))
    assert rows[0] == HEADINGS
    [xinan_meals, xinan, meals, fengshan, everyone] = rows[1:]  # by street, then name
    assert xinan_meals[1:4] == ["新安<b>社区</b>", "送餐", "少于3"]
    assert xinan_meals[12] == ""  # the day of that one visit
    assert xinan[2:4] == ["合计", "少于3"]
    assert meals[:12] == [
        "阳明街道", "丰山社区", "送餐", "约3", "0", "0", "0", "0", "0", "约3", "少于3", "0",
    ]  # fmt: skip
    assert meals[12] != ""  # 3 waiting point at nobody's visit
    assert fengshan[:5] == ["阳明街道", "丰山社区", "合计", "约3", "0"]
    assert everyone[:5] == ["", "全部", "合计", "约6", "0"]


async def test_a_street_s_spreadsheet_has_its_communities_and_the_page_links_it(needs, neighbours):
    await neighbours("high", "high", "high")
    await neighbours("normal", community_id="xinan")
    text = (await needs.get("/public/needs.csv?street=阳明街道", headers=PUBLIC)).text
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert [r[1] for r in rows[1:]] == ["丰山社区", "丰山社区", "全部"]
    page = (await needs.get("/public/needs?street=阳明街道", headers=BROWSER)).text
    assert (
        '<a href="/public/needs.csv?street=%E9%98%B3%E6%98%8E%E8%A1%97%E9%81%93" download>'
        "下载表格（CSV）</a>"
    ) in page
