import pytest

from matching.models import VolumeStage
from matching.volume import parse_quantity, parse_volume, parse_volume_list


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("unikat", VolumeStage.PROTOTYPE),
        ("enstyck", VolumeStage.PROTOTYPE),
        ("Prototyp", VolumeStage.PROTOTYPE),
        ("one-off", VolumeStage.PROTOTYPE),
        ("småserie", VolumeStage.PILOT),
        ("smaserie", VolumeStage.PILOT),
        ("small batch", VolumeStage.PILOT),
        ("pilotserie", VolumeStage.PILOT),
        ("löpande", VolumeStage.PRODUCTION),
        ("löpande produktion", VolumeStage.PRODUCTION),
        ("ongoing production", VolumeStage.PRODUCTION),
        ("en liten småserie på 50", VolumeStage.PILOT),
        ("protoyp", VolumeStage.PROTOTYPE),
    ],
)
def test_stage_wordings(text: str, stage: VolumeStage) -> None:
    assert parse_volume(text).stage is stage


def test_quantity_with_and_without_stage() -> None:
    assert parse_volume("småserie, 200 st").quantity == 200
    assert parse_volume("200 st").stage is VolumeStage.PILOT
    assert parse_volume("2 st").stage is VolumeStage.PROTOTYPE
    assert parse_volume("5 000 pcs").stage is VolumeStage.PRODUCTION
    assert parse_quantity("ca 1 000 st per år") == 1000
    assert parse_quantity("prototyp") is None
    assert parse_volume("   ").stage is None


def test_catalogue_cell_reports_unknown_items() -> None:
    stages, unknown = parse_volume_list("prototyp, småserie, ibland")
    assert stages == {VolumeStage.PROTOTYPE, VolumeStage.PILOT}
    assert unknown == ["ibland"]


def test_numbers_in_free_text_need_a_unit() -> None:
    for text in ("ekbord 180 cm", "vi öppnar 2025", "ring 031-3900600"):
        assert parse_volume(text, free_text=True) == parse_volume(""), text
    assert parse_volume("ekbord, 12 st", free_text=True).quantity == 12
    assert parse_volume("12").quantity == 12  # a whole answer may be just the number


def test_a_recurring_quantity_is_ongoing_production() -> None:
    assert parse_volume("300 st om året").stage is VolumeStage.PRODUCTION
    assert parse_volume("about 5000 pcs a year").stage is VolumeStage.PRODUCTION
    assert parse_volume("en småserie, 300 st per år").stage is VolumeStage.PILOT  # named wins
