from answer.aliases import find_aliases


def test_glossed_name_maps_word_by_word_both_ways():
    aliases = find_aliases(["두 기관은 '미르-가온 AI 펠로십(Mir-Gaon AI Fellowship)' 협약을 체결했습니다."])
    assert aliases["mir"] == {"미르"} and aliases["gaon"] == {"가온"} and "fellowship" in aliases["펠로십"]
    assert "ai" not in aliases


def test_gloss_with_a_different_word_count_is_left_alone():
    assert find_aliases(["한국AI인재진흥원의 부트캠프(Korea AI Meister Bootcamp)"]) == {}
