"""The words of a clause that say who is tasked and in which role (CONVENTIONS.md of
../shared/corpus), as patterns on the tone-normalised lower-case form of a clause
(:func:`services.parse.subjects.lower_form`).

Triggers and role cues are matched right after a unit list or at a clause's start; the
rest tell a clause that tasks no one (a report, the issuer's own act, the closing
formula, a legal basis).
"""

from __future__ import annotations

import re

# "đề nghị của X" (X's proposal) and "yêu cầu của X" cite, they do not task; "Kính đề nghị",
# "Trân trọng đề nghị" ask politely.
TRIGGER = re.compile(
    r"(?<![\w])(?:(?:kính|trân trọng)\s+)?(?:giao (?:nhiệm vụ |trách nhiệm )?cho|giao|đề nghị|yêu cầu|phân công|ủy quyền cho|ủy quyền)"
    r"(?:\s+(?!của\s)|\s*:|\s*$)"
)
# The issuer guiding units to act ("Sở Giáo dục và Đào tạo hướng dẫn Ủy ban nhân dân
# phường, xã đánh giá ..."): they act. Said by another unit, "hướng dẫn" is its own task.
GUIDES = re.compile(r"hướng dẫn\s+")
# Adverbials between the units and their role cue: "X tiếp tục phối hợp với Y", "X, Y theo
# chức năng, nhiệm vụ, thẩm quyền chủ trì, phối hợp với Z", "X có trách nhiệm chủ trì, ...".
ADVERBIAL = re.compile(
    r"(?:(?:(?:có|chịu) trách nhiệm|có nhiệm vụ|tiếp tục|tăng cường|khẩn trương|chủ động|tích cực|kịp thời|chỉ đạo|theo chức năng(?:\s*,\s*|\s+và\s+)?(?:nhiệm vụ)?"
    r"(?:(?:\s*,\s*|\s+và\s+)(?:quyền hạn|thẩm quyền))?(?:\s+(?:được giao|của mình))?)\s*,?\s*)+"
)
# "Chỉ đạo X ...", "Chỉ đạo, tham mưu chỉ đạo X ...": what the tasked unit does; X, its
# object, is not tasked by the document.
DIRECT = re.compile(r"(?:(?:tham mưu\s+)?(?:chỉ đạo|hướng dẫn|lãnh đạo)\s*(?:,|và)\s*)*(?:tham mưu\s+)?chỉ đạo\s+")
# A basis or a capacity set between the units and their role: "Sở Tài chính, trên cơ sở đề
# xuất của các cơ quan, đơn vị, chủ trì tổng hợp ...", "Bộ Xây dựng với vai trò là cơ quan
# thường trực, chủ động, phối hợp Bộ Nội vụ ..." (the role cue after the aside's last comma).
ASIDE = re.compile(
    r"(?:trên cơ sở|căn cứ|với (?:vai trò|tư cách))\s[^;:]{1,160}?,\s*(?:(?:chủ động|tích cực|khẩn trương|tiếp tục)\s*,?\s*)?"
    r"(?=(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm)(?![\w]))"
)
# A heading naming whose duties its items are: "Điều 5. Trách nhiệm của Sở Tài chính",
# "Nhiệm vụ của các huyện, thành phố", "Trách nhiệm thực hiện của ...".
DUTIES_OF = re.compile(
    r"(?:trách nhiệm|nhiệm vụ)(?:\s*(?:,|và)\s*(?:quyền hạn|nhiệm vụ|trách nhiệm))?(?:\s+(?:chung|thực hiện|cụ thể))?\s+của\s+"
)
# A regulation's article headed by what a body leads: "Điều 5. Nội dung Sở Dân tộc và Tôn
# giáo có trách nhiệm chủ trì" (its items are the body's, which leads them).
LED_CONTENT = re.compile(r"nội dung\s+(?=\S+\s.*chủ trì\s*:?\s*$)")
# A heading naming whom its items are for: "9.2. Đối với các đơn vị thu gom chất thải:".
HEADED_FOR = re.compile(r"đối với\s+")
# A heading naming a body's powers alone ("Điều 3. Quyền hạn của Ban Chỉ đạo"): what its
# items let the body do ("Yêu cầu các Bộ ... cung cấp thông tin") tasks no one.
POWERS_OF = re.compile(r"(?:các\s+)?quyền hạn(?:\s+của\s+|\s*$)")
# "là cơ quan chủ trì", "là cơ quan đầu mối, chủ trì": the focal point named leads.
LEAD = re.compile(r"(?:là\s+(?:cơ quan|đơn vị)\s+(?:đầu mối\s*,?\s*)?)?chủ trì\s*[,;]?\s*")
# "phối hợp với Y", "phối hợp Y" and "phối hợp, hỗ trợ Y" (its object printed straight
# after), "kết hợp với Y", and after "chủ trì" also "cùng Y" ("X chủ trì cùng Y": Y cooperates).
COOPERATE = re.compile(
    r"(?:(?:và\s+)?phối hợp(?:\s+chặt chẽ)?(?:\s*,\s*hỗ trợ)?(?:\s+(?:với|cùng))?|kết hợp với|cùng(?:\s+với)?)\s+"
)
# "Tăng cường phối hợp giữa các cơ quan: A, B, C": the bodies named cooperate; "bảo đảm sự
# phối hợp giữa ...", "công tác phối hợp giữa ..." name a principle, not partners.
COOPERATE_ALONE = re.compile(
    r"(?:(?<!sự )(?<!công tác )phối hợp(?:\s+chặt chẽ)?\s+giữa|phối hợp(?:\s+chặt chẽ)?(?!\s+giữa)(?:\s+(?:với|cùng))?)\s+"
)
PAST = re.compile(r"(?:đã|đang|vừa|từng|đều đã)(?![\w])")
# A time before a report's verb: "X trong thời gian ngắn đã ...", "X thời gian qua đã ...".
SINCE = re.compile(r"(?:trong\s+)?thời gian\s+(?:ngắn|qua|vừa qua|gần đây)\s*,?\s*")
# "Báo Đấu thầu ngày 26 tháng 3 năm 2019 đưa tin ...": what a unit did on a day, a report.
DATED = re.compile(r"(?:vào\s+)?ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\s*/\s*\d{1,2}\s*/\s*\d{4})")
# "Thủ trưởng ... chịu trách nhiệm trước pháp luật ... nếu để ...": whom X answers to if it
# fails, a liability, no task.
LIABLE = re.compile(r"chịu trách nhiệm trước\s[^,;.]*?\snếu(?![\w])")
# "X có thể gửi hồ sơ ...": what X may do, a permission, no task.
PERMITTED = re.compile(r"(?:có thể|được phép|được quyền)(?![\w])")
# "X được hưởng ưu đãi": what X receives; "X được giao ..." is still a task.
PASSIVE = re.compile(r"được(?!\s+(?:giao|phân công|yêu cầu|đề nghị))(?![\w])")
# "không làm việc", "thực hiện không đầy đủ", "chưa có văn bản": a shortcoming; "không để",
# "không được" forbid.
NEGATED = re.compile(r"(?:\S+\s+){0,2}(?:không(?!\s+(?:để|được|cho phép|tổ chức|chủ quan))|chưa)(?![\w])")
# The urging after a relative clause of what a unit has not done: ", khẩn trương gửi ...".
URGED = re.compile(r",\s*((?:khẩn trương|nhanh chóng|sớm|kịp thời)(?![\w]))")
WHICHEVER = re.compile(r"\snào$|\snào\s")
# Introductory phrases a clause's subject may follow after a comma.
INTRO = re.compile(r"(?:đối với|trên cơ sở|với (?:vai trò|tư cách)|căn cứ|sau khi|trong thời gian|(?:trong\s+)?trường hợp|nếu|khi|để|nhằm|thực hiện|định kỳ|(?:hằng|hàng) (?:năm|quý|tháng|tuần))(?![\w])")
# Legal bases and cited proposals, on the diacritic-folded form (:func:`vanthu.normalize.fold`).
BASIS = re.compile(r"(?:can cu|theo de nghi|xet de nghi|theo y kien|xet to trinh|theo to trinh)(?![\w])")
# What the issuer does by issuing the document itself.
OWN_ACT = re.compile(r"(?:xin\s+)?(?:thông báo|ban hành|công bố|quyết định|kết luận|trân trọng)(?![\w])")
TO_KNOW = re.compile(r"biết(?![\w])")
# The closing formula whoever says it is the issuer, named or not in the header: "Văn phòng
# UBND tỉnh thông báo để Sở ..., các cơ quan liên quan thực hiện./.".
# A paper's note that it prints the text ("Báo Hà Giang trân trọng đăng toàn văn Công điện") too.
ANNOUNCES = re.compile(r"(?:xin\s+)?(?:trân trọng\s+)?thông báo\s+để(?![\w])|(?:xin\s+)?trân trọng\s+(?:đăng|giới thiệu)(?![\w])")
# The document speaking of itself in a retelling: "Công điện yêu cầu ...", "Quyết định nêu rõ ...".
THE_DOCUMENT = re.compile(
    r"(?:công điện|công văn|quyết định|chỉ thị|kế hoạch|thông báo|nghị quyết|văn bản|kết luận)(?:\s+(?:này|nêu rõ|cũng))?"
)
# Where a report goes: "gửi báo cáo về Bộ theo địa chỉ:" over the address's line.
ADDRESS_FOLLOWS = re.compile(r"địa chỉ\s*:$")
# Whose conclusions a notice announces: "Thủ tướng Chính phủ ... có ý kiến chỉ đạo như sau:",
# "UBND tỉnh có ý kiến như sau:".
SPEAKS = re.compile(
    r"(?:có\s+)?(?:ý kiến(?:\s+chỉ đạo)?|chỉ đạo|kết luận)(?:\s+\S+){0,3}?\s+(?:như sau|sau đây)\s*:?"
    # an office conveying its head's opinion: "Văn phòng UBND tỉnh có văn bản truyền đạt ý kiến của ..."
    r"|(?:có\s+(?:văn bản|công văn)\s+)?truyền đạt\s+(?:ý kiến|kết luận)"
)
# Who attended a meeting, an account in a notice's opening: "Tại điểm cầu Trụ sở Chính phủ có
# ...; lãnh đạo các Bộ: ...", "Tham dự cuộc họp có ...", "với sự tham dự của ...".
ATTENDANCE = re.compile(
    r"(?:(?<![\w])(?:tham\s+)?dự\s+(?:họp|cuộc họp|buổi họp|phiên họp|hội nghị|buổi làm việc|lễ)(?:\s+\S+){0,6}?\s+có"
    r"|(?<![\w])tham\s+dự\s+có|(?:có|với)\s+sự\s+(?:tham\s+)?dự\s+của"
    r"|(?<![\w])tại\s+(?:điểm cầu|hội trường)(?:\s+\S+){0,12}?\s+có|thành phần(?:\s+tham)?\s+dự(?:\s+\S+){0,3}?\s+(?:gồm|có))(?![\w])"
)
MEETING = re.compile(r"(?:cuộc họp|buổi họp|phiên họp|hội nghị|buổi làm việc|cuộc làm việc)(?![\w])")
# How a Quyết định addresses the officials of its execution clause: "Các Ông (Bà): ...",
# "Các Ông, Bà Chánh Văn phòng Bộ ...".
ADDRESS = re.compile(
    r"(?:các\s+)?(?:ông\s*\(\s*bà\s*\)|ông\s*/\s*bà|ông,?\s+bà)\s*:?\s*|(?:các\s+)?đồng chí\s*:\s*"
    r"|đồng chí\s+(?=(?:phó\s+)?(?:bí thư|chủ tịch|giám đốc|bộ trưởng|thủ trưởng|trưởng|chánh)(?![\w]))"  # "Đồng chí Bí thư tỉnh ủy ..."
)
# A colon that opens examples or a breakdown, not units: "những khâu còn sơ hở như: ...".
EXAMPLES = re.compile(r"(?:như|gồm|bao gồm|cụ thể|sau đây|sau|trong đó|là)\s*:")
