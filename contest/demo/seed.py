"""The demo contest a newcomer sees on an empty database: every role can be tried at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, func, select

from contest.accounts.passwords import hash_password
from contest.contests.manage import new_contest
from contest.contests.settings import DEFAULT_TIMEZONE
from contest.contests.windows import local_datetime
from contest.core import audit
from contest.core.db import schema_lock
from contest.core.models import Contest, OfficialsEntering, Role, User
from contest.core.particles import particle
from contest.core.timeutil import utcnow
from contest.demo.posters import draw_poster
from contest.entries.submissions import EntryDraft, submit_entry
from contest.runtime import Runtime
from contest.voting.votes import cast_vote

DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class DemoAccount:
    employee_no: str
    name: str
    department: str
    role: Role

    @property
    def email(self) -> str:
        return f"{self.employee_no.lower()}@demo.incheon.go.kr"


# The first four are shown on the sign-in page; the rest author sample posters.
DEMO_ACCOUNTS = (
    DemoAccount("D1001", "김민준", "혁신정책담당관", Role.STAFF),
    DemoAccount("D1002", "이서연", "디지털정책과", Role.STAFF),
    DemoAccount("D2001", "박지훈", "감사관", Role.JUDGE),
    DemoAccount("D9001", "최유진", "행정안전국 총무과", Role.ADMIN),
    DemoAccount("D1003", "정하은", "도시계획과", Role.STAFF),
    DemoAccount("D1004", "강도윤", "문화예술과", Role.STAFF),
    DemoAccount("D1005", "윤지아", "교통정책과", Role.STAFF),
)
SHOWN_ACCOUNTS = DEMO_ACCOUNTS[:4]

# (author index, title, slogan, theme index, policy)
SAMPLE_POSTERS = (
    (2, "바다가 가까운 도시", "해양친수도시 인천, 시민 곁으로", 0, "해양친수도시 조성"),
    (3, "모두의 문화 한 걸음", "집 앞에서 만나는 문화예술", 0, "생활문화 인프라 확충"),
    (4, "인천 i-패스", "대중교통비 돌려받는 똑똑한 출퇴근", 1, "인천 i-패스 교통비 환급"),
    (2, "원도심이 다시 뛴다", "제물포 르네상스 프로젝트", 1, "제물포 르네상스"),
    (4, "하늘길 세계로", "글로벌 톱텐 시티 인천", 2, "글로벌 톱텐 시티"),
    (3, "AI 민원 비서", "24시간 답하는 인천 민원 챗봇", 2, "AI 민원상담 서비스"),
    (6, "시민의 목소리", "인천시 온라인 시민청원", 3, "시민청원 제도"),
    (1, "천원 주택", "하루 천 원으로 신혼의 보금자리", 0, "천원주택 주거지원"),
    (6, "함께 여는 예산", "주민참여예산으로 바꾸는 우리 동네", 3, "주민참여예산제"),
    (4, "종이 없는 결재", "스마트 행정으로 일하는 방식 혁신", 4, "전자결재 고도화"),
    (5, "데이터로 일하는 시청", "데이터 기반 정책 결정", 4, "공공데이터 개방"),
    (1, "아이 키우기 좋은 인천", "1억 플러스 아이드림", 0, "출생 지원 정책"),
)

# (voter index in DEMO_ACCOUNTS, poster indexes in SAMPLE_POSTERS)
DEMO_VOTES = ((4, (3, 5, 10)), (5, (0, 6)), (6, (0, 2, 7)))


def is_empty(session: Session) -> bool:
    return (
        session.exec(select(func.count()).select_from(User)).one() == 0
        and session.exec(select(func.count()).select_from(Contest)).one() == 0
    )


# Six places for a shortlist of eight: the shortlist must hold every award (settings.validate).
DEMO_AWARDS = (
    {"name": "최우수", "count": 1},
    {"name": "우수", "count": 2},
    {"name": "장려", "count": 3},
)


def demo_contest(now: datetime) -> Contest:
    """Windows open today: submissions and votes from three days ago until ten days ahead.
    The demo judge and admin have posters of their own: the contest allows it (a judge never
    scores their own), and the lifecycle screen lists them."""
    today = now.astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
    start, end = today - timedelta(days=3), today + timedelta(days=10)
    opens = local_datetime(start.year, start.month, start.day, time(0, 0), DEFAULT_TIMEZONE)
    closes = local_datetime(end.year, end.month, end.day, time(23, 59, 59), DEFAULT_TIMEZONE)
    return new_contest(
        name=f"{today.year} AI 혁신 포스터 경진대회 (데모)",
        year=today.year,
        slug=f"demo-{today.year}",
        is_demo=True,
        is_current=True,
        submission_opens_at=opens,
        submission_closes_at=closes,
        voting_opens_at=opens,
        voting_closes_at=closes,
        shortlist_size=8,
        award_tiers=[dict(tier) for tier in DEMO_AWARDS],
        judge_quorum=1,
        officials_entering=OfficialsEntering.ALLOWED.value,
    )


def seed_demo(runtime: Runtime, *, posters: bool = True) -> bool:
    """Create the demo contest, accounts and posters on an empty database; False if not empty.

    Under the schema lock: replicas starting together on an empty database seed once.
    """
    with schema_lock(runtime.engine):
        with runtime.session() as session:
            if not is_empty(session):
                return False
            password_hash = hash_password(DEMO_PASSWORD)
            users = [
                User(
                    employee_no=a.employee_no,
                    name=a.name,
                    department=a.department,
                    email=a.email,
                    role=a.role.value,
                    password_hash=password_hash,
                    must_change_password=False,
                )
                for a in DEMO_ACCOUNTS
            ]
            session.add_all(users)
            session.add(demo_contest(utcnow()))
            session.flush()
            audit.record(session, actor=None, action="demo.seed")
        if posters:
            _seed_posters(runtime, [u.id or 0 for u in users])
    return True


def _seed_posters(runtime: Runtime, user_ids: list[int]) -> None:
    """Posters spread over the days the window has been open, and a few colleagues' votes."""
    with runtime.session() as session:
        contest = session.exec(select(Contest).where(Contest.is_current)).one()
    start, step = contest.submission_opens_at + timedelta(hours=9), timedelta(hours=5)
    entry_ids = []
    for seed, (author, title, slogan, theme_no, policy) in enumerate(SAMPLE_POSTERS):
        theme = contest.themes[theme_no]
        draft = EntryDraft(
            title=title,
            theme=theme,
            policy=policy,
            description=slogan,
            ai_tools=("Stable Diffusion",),
            prompt=f"{policy}{particle(policy, '을')} 알리는 밝은 포스터",
            human_part="문구 작성과 배치",
            consent_own_work=True,
            consent_publish=True,
            share_making=True,
        )
        with runtime.session() as session:
            actor = session.get_one(User, user_ids[author])
            receipt = submit_entry(
                session,
                store=runtime.store,
                indexes=runtime.indexes,
                actor=actor,
                draft=draft,
                data=draw_poster(seed + 7, title, slogan, theme),
                now=min(start + seed * step, utcnow()),
            )
            entry_ids.append(receipt.entry.id or 0)
    # Only the accounts not listed on the sign-in page vote, so every listed one keeps its votes.
    for offset, (voter, picks) in enumerate(DEMO_VOTES):
        for n, pick in enumerate(picks):
            with runtime.session() as session:
                cast_vote(
                    session,
                    actor=session.get_one(User, user_ids[voter]),
                    entry_id=entry_ids[pick],
                    now=min(start + timedelta(hours=60 + 3 * offset, minutes=7 * n), utcnow()),
                )
