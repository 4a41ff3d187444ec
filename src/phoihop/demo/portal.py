"""Demo portal content for the demo province: published articles in every category, a rebuttal
with ClaimReview data, an article of the HĐND awaiting the Ban's approval, and a citizen's
feedback whose tracking code shows an answer.

Loading is idempotent: articles are found by slug, the feedback by its tracking code.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from phoihop.cases.models import Issue
from phoihop.core import province
from phoihop.core.models import Agency, User
from phoihop.demo.quiet import hooks_held
from phoihop.intake.models import Signal
from phoihop.portal import hooks, services
from phoihop.portal.models import Article
from phoihop.triage.normalize import content_hash, fold, normalize_text

C = Article.Category
DEMO_TRACKING_CODE = "PA-DEMO-00005"
COURT_ISSUE_TITLE = "Đề nghị công khai kết quả xét xử vụ án lừa đảo đầu tư tiền ảo"
LAND_ISSUE_TITLE = (
    "Chậm chi trả tiền bồi thường giải phóng mặt bằng dự án cao tốc Đồng Đăng – Trà Lĩnh"
)


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    category: str
    title: str
    summary: str
    body: str
    agency: str
    author: str
    approver: str  # "" leaves the article submitted, awaiting approval
    claim: str = ""
    claim_source: str = ""
    claim_rating: str = ""
    issue_title: str = ""
    image_alt: str = ""
    days_ago: int = 0


ARTICLES: list[DemoArticle] = [
    DemoArticle(
        "tra-loi-kien-nghi-ve-ket-qua-xet-xu-vu-an-lua-dao-tien-ao",
        C.ANSWER,
        "Trả lời kiến nghị của cử tri về kết quả xét xử vụ án lừa đảo đầu tư tiền ảo",
        "Tòa án nhân dân tỉnh trả lời kiến nghị của cử tri về việc công khai kết quả xét xử "
        "và thi hành án để trả lại tài sản cho các bị hại.",
        "<p>Tại kỳ tiếp xúc cử tri trước Kỳ họp thứ 9, HĐND tỉnh khóa XVII, nhiều cử tri là bị "
        "hại đề nghị được biết kết quả xét xử vụ án lừa đảo đầu tư tiền ảo.</p>"
        "<p>TAND tỉnh đã xét xử sơ thẩm ngày 12/9/2025, tuyên phạt các bị cáo theo đúng quy định "
        "của Bộ luật Hình sự. Bản án đã có hiệu lực pháp luật; cơ quan thi hành án dân sự đang "
        "tổ chức thi hành để trả lại tài sản cho 1.250 bị hại.</p>"
        "<p>VKSND tỉnh kiểm sát việc thi hành án theo quy định.</p>",
        "tand",
        "xuly.toaan",
        "dieuphoi",
        issue_title=COURT_ISSUE_TITLE,
        days_ago=3,
    ),
    DemoArticle(
        "giai-thich-nghi-quyet-ho-tro-giai-phong-mat-bang",
        C.POLICY,
        "Giải thích Nghị quyết của HĐND tỉnh về hỗ trợ khi giải phóng mặt bằng",
        "Những điểm mới về mức hỗ trợ, thời hạn chi trả tiền bồi thường giải phóng mặt bằng "
        "cho người có đất bị thu hồi.",
        "<p>Nghị quyết số 12/2025/NQ-HĐND quy định mức hỗ trợ ổn định đời sống và sản xuất cho "
        "hộ gia đình, cá nhân có đất nông nghiệp bị thu hồi khi giải phóng mặt bằng.</p>"
        "<h2>Thời hạn chi trả</h2>"
        "<p>Tiền bồi thường, hỗ trợ phải được chi trả trong 30 ngày kể từ ngày quyết định thu "
        "hồi đất có hiệu lực. Trường hợp chậm chi trả, người có đất được hưởng thêm khoản tiền "
        "bằng mức tiền chậm nộp theo Luật Quản lý thuế.</p>"
        "<ul><li>Hỗ trợ ổn định đời sống: 6 tháng đến 12 tháng.</li>"
        "<li>Hỗ trợ đào tạo, chuyển đổi nghề: 1,5 lần giá đất nông nghiệp.</li></ul>",
        "hdnd",
        "hdnd",
        "dieuphoi",
        image_alt="Sơ đồ ba bước chi trả tiền bồi thường: quyết định thu hồi, lập phương án, "
        "chi trả trong 30 ngày",
        days_ago=6,
    ),
    DemoArticle(
        "phan-bac-tin-don-thu-hoi-toan-bo-dat-nong-nghiep-xa-na-sam",
        C.REBUTTAL,
        "Thông tin thu hồi toàn bộ đất nông nghiệp xã Na Sầm là sai sự thật",
        "UBND tỉnh khẳng định không có chủ trương thu hồi toàn bộ đất nông nghiệp của xã Na "
        "Sầm để mở rộng khu kinh tế cửa khẩu.",
        "<p>Thời gian qua, trên mạng xã hội lan truyền thông tin cho rằng tỉnh sẽ thu hồi toàn "
        "bộ đất nông nghiệp của xã Na Sầm để mở rộng khu kinh tế cửa khẩu.</p>"
        "<p>Sở Nông nghiệp và Môi trường khẳng định: quy hoạch sử dụng đất đã được phê duyệt "
        "không có dự án nào thu hồi toàn bộ đất nông nghiệp của xã. Mọi dự án thu hồi đất đều "
        "được công khai, lấy ý kiến người dân theo quy định của Luật Đất đai.</p>"
        "<p>Người dân cần tỉnh táo, không chia sẻ thông tin chưa được kiểm chứng.</p>",
        "so-nnmt",
        "xuly.nnmt",
        "dieuphoi",
        claim="Tỉnh sẽ thu hồi toàn bộ đất nông nghiệp của xã Na Sầm để mở rộng khu kinh tế "
        "cửa khẩu.",
        claim_source="Bài đăng trên mạng xã hội, tháng 10/2025",
        claim_rating=Article.Rating.FALSE,
        days_ago=1,
    ),
    DemoArticle(
        "hoi-nghi-so-ket-chuong-trinh-phoi-hop-tuyen-truyen",
        C.NEWS,
        "Hội nghị sơ kết Chương trình phối hợp tuyên truyền, giải đáp kiến nghị của cử tri",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy chủ trì sơ kết 6 tháng thực hiện chương trình "
        "phối hợp giữa các cơ quan.",
        "<p>Sáng 20/10/2025, Ban Tuyên giáo và Dân vận Tỉnh ủy phối hợp với Thường trực HĐND "
        "tỉnh, UBND tỉnh, TAND tỉnh và VKSND tỉnh tổ chức hội nghị sơ kết chương trình.</p>"
        "<p>Sau 6 tháng, các cơ quan đã tiếp nhận 312 ý kiến, kiến nghị; 95% được trả lời "
        "đúng hạn; 14 thông tin sai sự thật đã được phản bác kịp thời.</p>",
        "btgdv",
        "dieuphoi",
        # the Ban's own leader approves its coordinator's article (four eyes, inside the Ban)
        "lanhdao.btgdv",
        days_ago=9,
    ),
    DemoArticle(
        "guong-dien-hinh-can-bo-tiep-dan-phuong-luong-van-tri",
        C.EXEMPLARY,
        "Người cán bộ tận tụy với việc tiếp dân ở phường Lương Văn Tri",
        "Chị Lý Thị Hằng, công chức Văn phòng UBND phường, được cử tri tin tưởng nhờ giải "
        "quyết kiến nghị nhanh, đúng hẹn.",
        "<p>Mỗi tuần, chị Hằng dành hai buổi tiếp công dân và theo dõi đến cùng từng kiến nghị.</p>"
        "<p>Năm 2025, 100% kiến nghị do chị tiếp nhận được chuyển đúng cơ quan có thẩm quyền "
        "trong ngày làm việc.</p>",
        "xa-#1",
        "xuly.xa",
        "dieuphoi",
        days_ago=14,
    ),
    # Written and sent by the HĐND standing committee, waiting for the Ban, which runs the
    # portal, to approve it: «Việc của tôi» of `dieuphoi` and `lanhdao.btgdv` lists it.
    DemoArticle(
        "ket-qua-giam-sat-giai-quyet-kien-nghi-cu-tri-truoc-ky-hop-thu-10",
        C.NEWS,
        "Kết quả giám sát việc giải quyết kiến nghị của cử tri trước Kỳ họp thứ 10",
        "Thường trực HĐND tỉnh thông báo kết quả giám sát việc giải quyết, trả lời kiến nghị "
        "của cử tri gửi đến Kỳ họp thứ 9.",
        "<p>Thường trực HĐND tỉnh đã giám sát việc giải quyết 126 kiến nghị của cử tri gửi "
        "đến Kỳ họp thứ 9; 118 kiến nghị đã được trả lời, 8 kiến nghị đang được giải quyết.</p>"
        "<p>Thường trực HĐND tỉnh đề nghị các cơ quan hoàn thành việc trả lời trước Kỳ họp "
        "thứ 10.</p>",
        "hdnd",
        "hdnd",
        "",  # submitted, not yet approved
    ),
]


def _demo_image() -> ContentFile[bytes]:
    """A small diagram (three steps) drawn with Pillow, so the demo needs no binary files."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 360), (246, 247, 249))
    draw = ImageDraw.Draw(image)
    colours = [(163, 22, 26), (11, 79, 156), (30, 107, 53)]
    for index, colour in enumerate(colours):
        x = 40 + index * 200
        draw.rounded_rectangle((x, 120, x + 160, 240), radius=16, fill=colour)
        draw.ellipse((x + 60, 160, x + 100, 200), fill=(255, 255, 255))
        if index < 2:
            draw.polygon([(x + 170, 170), (x + 190, 180), (x + 170, 190)], fill=(60, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="so-do-chi-tra-boi-thuong.png")


@transaction.atomic
def load() -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    codes = [province.agency_code(a.agency) for a in ARTICLES]
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes)}
    created = 0
    for item in ARTICLES:
        if Article.objects.filter(slug=item.slug).exists():
            continue
        issue = Issue.objects.filter(title=item.issue_title).first() if item.issue_title else None
        article = services.article_create(
            by=users[item.author],
            slug=item.slug,
            title=item.title,
            category=item.category,
            summary=item.summary,
            body=item.body,
            source_agency=agencies[province.agency_code(item.agency)],
            issue=issue,
            claim=item.claim,
            claim_source=item.claim_source,
            claim_rating=item.claim_rating,
            image=_demo_image() if item.image_alt else None,
            image_alt=item.image_alt,
        )
        if item.approver:
            # published before the demo began: nobody is told of it now
            with hooks_held(hooks.article_submitted, hooks.article_published):
                services.article_submit(article=article, by=users[item.author])
                services.article_publish(article=article, by=users[item.approver])
        else:
            services.article_submit(article=article, by=users[item.author])
        if item.days_ago:
            # Demo only: spread the publication dates so the portal looks lived in.
            Article.objects.filter(pk=article.pk).update(
                published_at=timezone.now() - dt.timedelta(days=item.days_ago)
            )
        created += 1
    return {"portal_articles": created, "portal_feedback": _load_feedback()}


def _usernames() -> set[str]:
    return {a.author for a in ARTICLES} | {a.approver for a in ARTICLES if a.approver}


def _load_feedback() -> int:
    """A citizen's web feedback joined to the published court issue (shows an answer)."""
    issue = Issue.objects.filter(title=COURT_ISSUE_TITLE).first()
    if issue is None or Signal.objects.filter(tracking_code=DEMO_TRACKING_CODE).exists():
        return 0
    text = normalize_text(
        "Tôi là một trong các bị hại của vụ lừa đảo đầu tư tiền ảo. Đề nghị Tòa án công khai "
        "kết quả xét xử và cho biết khi nào được trả lại tiền."
    )
    Signal.objects.create(
        channel=Signal.Channel.FEEDBACK,
        source="portal-demo",
        raw_text=text,
        text=text,
        content_hash=content_hash(text),
        title="Đề nghị công khai kết quả xét xử vụ án tiền ảo",
        search_text=fold(f"Đề nghị công khai kết quả xét xử vụ án tiền ảo {text}"),
        issue=issue,
        tracking_code=DEMO_TRACKING_CODE,
        metadata={"demo": True},
    )
    return 1
