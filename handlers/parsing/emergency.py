"""Life-or-safety-now cues (emergency) and basic-living-broken cues (urgent).

Each cue is a regex over normalised text. A cue counts unless it is negated
(没有煤气味了), hypothetical (万一着火), figurative (上火, 嗓子冒烟) or a near
miss (差点摔倒). Missing a real emergency is the worst error the bot can make,
so cues are broad and the exclusions are narrow; a near miss with something
falling from height (差点砸到人) still counts, because the next one may not miss.
"""

from __future__ import annotations

import re
from functools import lru_cache

from handlers.categories import EmergencyKind
from handlers.parsing.danger import CONSTRUCTIONS, SHUT_IN, life_support_outage
from handlers.parsing.intent import HOW_TO

_PERSON = (r"(?:老人|老头|老太|大爷|大妈|奶奶|爷爷|姥姥|姥爷|外婆|外公|阿姨|叔叔|大叔|老伯|婆婆|孩子|小孩|"
           r"婴儿|宝宝|孕妇|病人|邻居|大哥|大姐|小伙|男的|女的|师傅|人|他|她|我妈|我爸|老伴|老公|老婆|老爷子|老太太)")
_GAP = r"[^,。!?;]"
_UNWELL = (r"窗户外面|窗外|空调架上|阳台外面|楼顶边|咬了|咬得|高烧|一直抽|抽风|没回来|倒了|倒下|晕倒|晕了|晕过去|发晕|昏|不醒|发紫|发青|疼得|直不起腰|烫了|烫伤|起泡|喘不|吐了|一直吐|抽了|"
           r"出血|流血|骨折|说不清|糊涂|找不到家|迷路|爬到窗|窗台外|阳台外|掉下去|溺水|掉水里|掉进|咬伤|中暑|冻僵")

_WORDS: tuple[tuple[EmergencyKind, re.Pattern[str]], ...] = (
    (EmergencyKind.TRAPPED, re.compile(
        rf"(?:被困|困在|困住|关在|卡在|锁在|出不来){_GAP}{{0,8}}电梯|"
        rf"电梯{_GAP}{{0,12}}(?:被困|困住|困了|困人|关人|关住|出不来|卡人|夹住人|夹着人)|"
        rf"电梯门?{_GAP}{{0,4}}夹(?:住|着)|被{_GAP}{{0,4}}门夹住{_GAP}{{0,8}}电梯|电梯里{_GAP}{{0,20}}(?:打不开|出不去|出不来)|电梯{_GAP}{{0,8}}(?:下坠|坠落|溜梯|冲顶|往下掉|掉下去|开着门就)|"
        r"电梯.{0,30}(?:出不来|被困|困住|困在|关在|关住|里面有人|有人在里面|人在里面|在里面|在里头|里面有(?:小孩|孩子|老人|个|两个|俩|三个)|求救|两层中间|卡在中间|关着|困着|卡着人)")),
    (EmergencyKind.GAS, re.compile(
        rf"(?:煤气|燃气|天然气|液化气|瓦斯){_GAP}{{0,6}}(?:味|泄漏|泄露|漏气|漏了|在漏|爆炸|炸了|中毒|呛|着火|起火|烧)|"
        rf"(?<!胎)(?<!轮)漏气|闻到{_GAP}{{0,6}}(?:煤气|燃气|天然气|液化气)|煤气罐{_GAP}{{0,4}}(?:漏|炸)|"
        r"(?:热水器|燃气|煤气|天然气|怪味)[^。]{0,16}(?:头晕|晕|恶心|头疼|迷糊|头[都好很有点]{1,2}(?:疼|晕))|(?:煤气|燃气|天然气|液化气)[^。]{0,16}味|(?:燃气|煤气|天然气)[^。]{0,12}(?:断了|挖断|破了|冒气|哧哧|往外冒)|(?:刺鼻|呛人|呛鼻)[^。]{0,10}(?:煤气|燃气|天然气|液化气)|(?:煤气|燃气|天然气|液化气)[^。]{0,10}(?:刺鼻|呛人)|(?:燃气|煤气|天然气)报警器[^。]{0,6}(?:响|叫)|臭鸡蛋味|一氧化碳|煤气中毒|(?:煤气|燃气|天然气|液化气)[^。]{0,12}(?:有味|味道|一股味|味儿|一直有味)|不敢(?:开火|点火|开灯|打火)|(?:厨房|灶|燃气|煤气|天然气|液化气|气罐|阀门|管子|管道)[^。]{0,12}嘶嘶|嘶嘶[^。]{0,10}(?:味|臭)")),
    (EmergencyKind.ELECTRIC, re.compile(
        r"冒火花|打火花|电火花|火花|火星子|火星|漏电|触电|被电[到了击]|电到人|(?<![停断没来])电到了|电击|(?<![停断没来])电了一下|麻手|"
        rf"电线{_GAP}{{0,6}}(?:掉|垂|落|断|裸露|冒|烧|耷拉|泡|浸|水里)|滋滋冒|滋滋响|电线{_GAP}{{0,6}}(?:拖|地上)|电线杆{_GAP}{{0,4}}(?:倒|断)|高压线{_GAP}{{0,4}}(?:掉|断|落)|"
        rf"(?:电箱|电表箱|电表|电闸|配电箱|配电房|配电室|变电箱|插座|电线|变压器)[^。!?]{{0,10}}(?:冒烟|黑烟|着火|烧|啪啪|噼啪|噼里啪啦|爆|轰|砰|蓝光|电弧)")),
    (EmergencyKind.FIRE, re.compile(
        r"着火|起火|失火|火灾|冒烟|浓烟|黑烟|烟雾|好大的烟|烟很大|烟好大|烧起来|烧着了|着起来|燃起来|火苗|火光|明火|"
        r"焦糊味|烧焦味|糊味|烧焦|(?<!鞭炮)爆炸|大火|火势|火警|烧了起来|自燃|冒火|往外窜火|蹿火|"
        r"烟雾报警器[^。]{0,6}(?:响|叫)|烟(?:特别|非常|太|很|好|老)大|放火|纵火|焦味|爆燃|有火(?!车|锅|腿|柴)|(?<![群毛])炸了|还在烧|在烧着|烟往|烟很黑|冒黑烟|都是烟(?!味)|全是烟(?!味)|(?:锅|油锅|房子|车|屋|厨房|垃圾|垃圾站|垃圾桶|被子|沙发)[^,。!?;]{0,3}着了|烧塑料|塑料味|胶皮味|有烟|有点烟|一股烟|烟呛|呛得|满楼道的烟|全是烟|火挺大|火很大|火好大|打119|叫119")),
    (EmergencyKind.CRIME, re.compile(
        r"打人|打架|斗殴|动手了|拿刀|持刀|动刀|砍人|捅人|抢劫|抢包|(?:正在|有人|在)撬|入室|闯进|"
        rf"有人{_GAP}{{0,4}}(?:翻|爬)(?:窗|墙|阳台)|(?:爬|翻)进[^。!?]{{0,16}}(?:还在|在里面)|追着{_GAP}{{0,6}}打|被打了|被打得|殴打|打起来了|"
        r"(?:拿|带|举|挥|提)着?(?:刀|棍|砍刀|菜刀|斧头|棒子)|被撬[^。]{0,12}(?:还在|屋里|不敢进)|小偷还在|进贼|进小偷|家里进人|人走没走|(?:正在|有人在)[^,。!?;]{0,6}偷|现在还在偷|拿[^,。!?;]{0,3}(?:砖|石头|棍|刀|铁锹)[^,。!?;]{0,4}(?:砸|打|砍)|喊救命|喊着救命|呼救|求救声|被抢|抢走|抢[^,。!?;]{0,6}的(?:包|钱包|手机|项链|金链)|有人[^,。!?;]{0,4}抢(?!购)|持械|械斗|踹开|被撬开|在里面翻|一直撬|不敢出声|不敢出去|家暴|打孩子|打老婆|杀人|绑架|非礼|耍流氓|行凶|拿着棍子|砸门|踹门|报警(?!器)|打110|叫110")),
    (EmergencyKind.COLLAPSE, re.compile(
        r"(?:要|快|好像要|感觉要|随时会)倒(?:了|下)?(?![垃水车班霉掉腾])|塌下来|垮下来|(?<!心)悬着|(?:风一吹|一碰|随时)就?[^,。!?;]{0,2}(?:要|会)?(?:掉下去|掉下来|塌|倒)|地震|楼在晃|楼晃|(?:墙|房子|大楼|楼房|大树|电线杆)[^,。!?;]{0,8}倒了|往[^,。!?;]{0,6}这边倒|压住了|压着人|压在下面|被压在|被压住|车里有人|掉渣|突然裂开|往一边歪|往一边倒|整个歪|悬在半空|锈断|往下沉|下沉了|沉降|砸到了|(?<![被给])砸坏了|砸中|压在电线上|随时[^,。!?;]{0,4}(?:掉|塌|倒|砸)|塌了|要塌|快塌|坍塌|倒塌|塌方|塌陷|摇摇欲坠|高空坠物|砸到人|砸到[^,。!?;]{0,4}人|砸伤|砸着人|砸到孩子|砸到我|砸着我|砸到头|"
        r"(?:外墙|瓷砖|外机|广告牌|阳台|天花板|吊顶|楼板|窗框|窗扇|防盗窗|栏杆|护栏|窗户|玻璃|砖|水泥|混凝土|大树|树|招牌|雨棚|墙(?!皮)|房子|"
        r"围墙|挡土墙|花盆|顶棚|楼道顶)"
        rf"{_GAP}{{0,6}}(?:掉下来|砸到|砸人|要掉|快掉|往下掉|坠落|要倒|快倒|歪了要倒|摇摇晃晃)")),
    (EmergencyKind.FALL, re.compile(
        r"血泊|倒在(?:路边|楼道|门口|马路|地下)|(?:痴呆|糊涂)[^。!?]{0,16}(?:没回|找不到|走丢|不见)|不动弹|动弹不了|躺那不动|躺着不动|吞下去|卡在嗓子|卡喉咙|卡住喉咙|噎住了|滑倒|滑了一跤|后脑勺着地|头着地|磕到头|迷迷糊糊|意识模糊|摔倒|跌倒|摔了一跤|摔跤|摔伤|摔地上|摔在地上|摔下来|栽倒|瘫倒|倒在地上|倒地|躺在地上|躺着个人|躺着一个人|"
        r"起不来|爬不起来|晕倒|昏倒|晕过去|昏过去|昏迷|不省人事|叫不醒|没意识|没呼吸|没有呼吸|抽搐|口吐白沫|"
        r"心脏病|心梗|脑梗|中风|喘不上气|喘不过气|喘不上来|上不来气|呼吸困难|大出血|流了好多血|流血不止|"
        r"血流不止|都是血|一身血|满脸血|头破血流|磕破|骨折|烫伤|烧伤|割伤|噎住|中毒|喝农药|休克|"
        r"胸口疼|胸痛|心口疼|脸色(?:煞白|发紫|发青|苍白)|嘴唇发紫|说不出话|口齿不清|半边身子|"
        r"一动不动|动弹不得|歪倒|倒下了|瘫在地|没知觉|误吃|误服|吃错药|一直吐|吐血|浑身发抖|噎着|憋紫|脸都紫|脸发紫|抽筋|惊厥|低血糖|说话不利索|嘴也歪|嘴歪|口眼歪斜|手脚发麻|高烧不退|烧到4\d|疼得动不了|滚下去|滚下来|从床上掉|割腕|跳楼|想不开|轻生|自杀|要跳|犯病|发病|"
        r"救护车[^。!?]{0,8}(?:进不来|过不去|开不进|堵)|急救|叫救护车|打120|叫120|被狗咬|咬人了|撞人了|烫到人|烫着人|锁在车里|反锁在|抽过去|掉到[^,。!?;]{0,6}(?:水池|水里|河里|井里|坑里|湖里)|掉进|落水|不想活|活不下去|卡在[^,。!?;]{0,8}(?:出不来|拔不出)|"
        r"喊不醒|叫不醒|喊都喊不醒|神志不清|胸闷|心脏[^,。!?;]{0,4}(?:不舒服|难受|疼)|冻僵|冻得发紫|"
        r"躺在(?:地上|雪地|路边|楼道|门口|草丛|马路)|"
        rf"(?:敲门|打电话|叫门|喊|(?<!呼)叫){_GAP}{{0,6}}(?:不答应|不太应|没人应|没人开|没反应|没有反应|不应|不开门|没人接|不接|没动静|打不通)|"
        r"(?:独居|一个人住|老人|大爷|大妈|奶奶|爷爷|老太太|老头)[^。!?]{0,12}(?:好几天|几天|两天|三天|一天|一整天)"
        r"[^。!?]{0,8}(?:没见|没出门|没动静|联系不上|没露面|没下楼|没开门|没开过门)|"
        r"(?:独居|孤寡|一个人住|空巢)[^。!?]{0,20}(?:怪味|臭味|异味|没动静|没开门|不开门)|"
        r"(?:独居|一个人住|老人|大爷|大妈|奶奶|爷爷|姥姥|老太太|老头|我妈|我爸)[^。!?]{0,12}电话[^。!?]{0,6}(?:打不通|没人接|不接|一直没接)|"
        r"(?:好几|几|两|三|四|五)天[^。!?]{0,10}(?:没出来|没出门|没动静|没见人|没露面|没开门)")),
    (EmergencyKind.FLOOD, re.compile(
        rf"(?:家里|屋里|屋子|房间|客厅|卧室|家|地下室|车库|一楼){_GAP}{{0,4}}(?:淹了|被淹|进水了|全是水|水漫)|水漫金山|"
        rf"水{_GAP}{{0,4}}(?:到膝盖|没过膝|齐腰|到腰)|水{_GAP}{{0,6}}(?:越涨越高|越来越高|没过轮胎|没过车|漫过)|水往(?:屋|家)里(?:灌|流|涌)|水{_GAP}{{0,6}}往里灌|往里灌水|水漫了|漫了一屋|一屋子水|满屋子水|倒灌进|淹了|被淹")),
    (EmergencyKind.OTHER, re.compile(
        r"救命|救救|出人命|要出人命|快来人(?:啊|呐|呀|哪|!|$)|来人啊|来人呐|sos|(?:被困|困在|困住)(?:在)?(?:家|屋|楼|房间|车里|阳台|厕所|卫生间|火|里面|楼顶|天台)")),
)
_CRIES = _WORDS[-1][1]
# The constructions go before flooding and bare cries: water in a switch room is
# an electrical danger first, and a named danger says more than 救命.
EMERGENCY_CUES = _WORDS[:-2] + CONSTRUCTIONS + _WORDS[-2:]

# A person word shortly before a state word (老人…倒了, 孩子…走丢). Matching the
# state first and looking back for the person is far cheaper than a regex that
# starts with thirty person words.
_PERSON_STATE = re.compile(
    r"摔了|被车撞|被撞|撞倒|不动了|没反应|没有反应|没动静|没气了|走失|走丢|找不到了|不见了|没回家|快不行|不行了|" + _UNWELL
)
_PERSON_RE = re.compile(_PERSON)
_SENTENCE_END = re.compile(r"[。!?]")

_NEGATION = re.compile(r"(?:防|没|没有|(?<!是)不是|未|无|(?<!特)别|不要|不会|差点|差一点|险些)[^,。!?;\s]{0,2}$")
_PLACES = ("家", "屋", "房间", "客厅", "卧室", "地下室", "楼道", "电梯", "车库", "一楼")
_NEAR_MISS_ONLY = re.compile(r"(?:差点|差一点|险些)[^,。!?;\s]{0,2}$")
_HYPOTHETICAL = re.compile(
    r"(?:防止|预防|以免|避免|小心|谨防|注意|严禁|禁止|万一|如果|要是|假如|一旦|怕|容易|会不会|隐患|演练|演习|"
    r"担心|生怕|可能会|不知道|哪里|发现|遇到|遇有|如遇|若)[^,。!?;]{0,8}$"
)
_EXAGGERATION = re.compile(r"(?:吓得|气得|累得|热得|饿得|困得|笑得|血压都上来|考砸|被老板|被孩子|被气)[^。!?]{0,10}$")
_FIGURATIVE = re.compile(
    r"上火|火大|火气|火锅|火爆|火车|发火|恼火|气得冒火|心里冒火|眼睛冒火|火腿|火柴|火龙果|烟花|炊烟|烟酒|抽烟|香烟|烟头|吸烟|"
    r"嗓子冒烟|气得冒烟|手都冻|脚都冻|手冻|脚冻|冻手|心里着火|心着火|着火了一样|气晕|晕车|晕船|看晕|绕晕|搞晕|听晕|头都晕|笑晕|"
    r"灶火|火苗是|火苗发|火苗小|火苗不|嗓子.{0,2}冒烟|猫倒|狗倒|猫躺|狗躺|开着火|开着小火|犯困|困死|热死|累死|笑死|气死|饿死|冷死我|美哭|被困在工作|困在工作|困在家里出不去|打不着火|点不着火|"
    r"着不了火|打着火|点着火|火星人|火星文|股票|基金|心态|游戏|手机摔|手机掉|电脑|剧里|电视|电影|小说|梦里|梦见"
)
_CALL_OFF = re.compile(
    r"(?:已经|已)(?:灭了|扑灭|没事了|送医|送到医院|好了|处理好|修好|救出来|出来了|解决)|演练|演习|虚惊|误报|是假的|谣言|别慌|"
    r"没什么事|没啥事|没大事|擦破点皮|擦破皮|皮外伤|小伤|养着|养伤|康复|出院|没有人受伤|无人受伤|看错了|搞错了|弄错了|说错了|误会|小窍门|小常识|转发|"
    r"没事了|没事(?=[,,。.! ]|$)|没大碍|好多了|不哭了|视频|新闻|网上|朋友圈|电视上|隔壁小区|别的小区|"
    r"(?:还好|幸好|好在|幸亏)(?:没|人没)|后来(?:怎么样|怎样|呢|处理)|现在好了|现在没事|(?:已经|已)处理完|大家放心|(?:昨天|昨晚|前天|上次|上回|前几天|那天|上周)[^。!?]{0,12}的事|男主|女主|主角|剧情|这部剧|这个剧|追剧|主题|展览|消防展|参观|科普|讲座|已经(?:跑了|走了|被抓|抓到|带走|救出|出来了)|被(?:抓走|带走)了"
)
_HAZARDS = frozenset({EmergencyKind.GAS, EmergencyKind.FIRE, EmergencyKind.ELECTRIC,
                      EmergencyKind.COLLAPSE, EmergencyKind.FLOOD})
_PEOPLE_SAFE = re.compile(r"(?:已经|已)(?:送医|送到医院|救出来|出来了|跑了|走了)")
# Words that put the whole message in the past or elsewhere, wherever they stand.
_PAST_EVENT = re.compile(r"演练|演习|虚惊|误报|是假的|谣言|视频|新闻|网上|朋友圈|电视上|隔壁小区|别的小区|"
                         r"男主|女主|主角|剧情|这部剧|这个剧|追剧|展览|消防展|参观|科普|讲座|小窍门|小常识|转发|"
                         r"后来|的事|看错了|搞错了|弄错了|说错了|误会")
_ALARM_BATTERY = re.compile(r"电池|换一下|没电")
_NON_EMERGENCY_FALL = re.compile(r"不行了[吧吗]|快不行了[吧吗]|信号|网络")
_WEAK_SMOKE = frozenset({"有烟", "有点烟", "一股烟", "烟呛", "呛得", "冒烟", "烟雾", "全是烟"})
_SMOKER = re.compile(r"鞭炮|烟花|放炮|抽烟|吸烟|烟头|二手烟|烟民|油烟|烧烤|做饭|炒菜|蚊香|烟瘾")
_CAUGHT = re.compile(r"(?:已经|开始)冒烟|(?:纸箱|被子|沙发|杂物|衣服|窗帘|草垛)[^,。!?;]{0,4}(?:冒烟|着了)")
_NOT_GAS = re.compile(r"暖气|放气|胎|气球|充气|气垫|空调")
_CRY_FOR_HELP = re.compile(r"快来|快点|快救|快打|快报|快叫|来人|帮|救救|120|110|119|报警|出事|急|怎么办")

URGENT_CUES = re.compile(
    rf"爆管|爆了|水管{_GAP}{{0,3}}(?:破|裂|爆|断)|管子{_GAP}{{0,3}}(?:破|裂|爆|断)|喷水|呲水|滋水|水{_GAP}{{0,6}}哗哗|哗哗{_GAP}{{0,3}}(?:流|淌|喷|往外|冒|漏|地)|停水|没水|没有水|不来水|"
    rf"断水|水停了|一滴水都没|一点水都没|水龙头{_GAP}{{0,4}}不出水|不出水|往外冒|冒污水|污水{_GAP}{{0,3}}(?:冒|溢|漫|横流|流出)|"
    rf"污水井{_GAP}{{0,2}}冒|臭水|返水|反水|倒灌|漫出|溢出来|化粪池{_GAP}{{0,4}}(?:满|溢|冒)|粪水|下水道{_GAP}{{0,6}}(?:冒|溢|漫|返)|"
    rf"停电|(?<![表机池车])没电|没有电|断电|全黑|跳闸|整栋楼{_GAP}{{0,4}}黑|"
    rf"暖气{_GAP}{{0,12}}(?:不热|冰凉|冰冰凉|凉|冷|不暖|没热|不烧|没烧|温乎|温吞)|没暖气|没有暖气|不供暖|没供暖|没有供暖|"
    rf"暖气{_GAP}{{0,2}}停了|(?:家里|屋里|屋子){_GAP}{{0,3}}(?:冷|冻|凉)|(?:才|就|只有)[一二三四五六七八九十\d]{{1,3}}度|还是凉|冷得|冻得|冰窖|冻死|太冷了|"
    rf"停气|气停了|(?<!轮胎)没气|做不了饭|做不成饭|饭都做不|没有气了|(?:燃气|天然气|煤气){_GAP}{{0,3}}停|(?:燃气|天然气|煤气){_GAP}{{0,4}}(?:打不开|用不了|没了)|"
    rf"(?:满屋|满地|一地|到处|全屋|屋里){_GAP}{{0,3}}(?:是水|都是水)|呲了|"
    rf"水管冻|冻裂|冻住|漏{_GAP}{{0,4}}(?:严重|厉害|很大|不停|不行)|大量漏水|水流不止|成河"
)


_WHAT_IF = re.compile(r"[了的]?[^,。!?;\s]{0,3}?(?:可|那|就)?(?:怎么办|谁负责|算谁的|谁担|谁管)")
_CAUSE = re.compile(r"坏|晃|容易|隐患|没人管|充电|拉线|没了|不牵|不拴|松了|松动|太滑|没盖|万一|天天|总是|老是|一直")
_ALARM = re.compile(r"快来|快点|快救|快打|快叫|赶紧|救命|来人|120|110|119|急(?!救|诊)")


def _what_if(text: str, end: int) -> bool:
    """老人摔了可怎么办 after a complaint about a wobbly machine is a worry, not an event."""
    return _WHAT_IF.match(text, end) is not None and _CAUSE.search(text) is not None \
        and _ALARM.search(text) is None


def _counts(text: str, match: re.Match[str], kind: EmergencyKind | None = None) -> bool:
    start = match.start()
    if _what_if(text, match.end()):
        return False
    before = text[max(0, start - 10):start]
    negated = _NEGATION.search(before) and not text.startswith(_PLACES, start)
    if negated and not (kind is EmergencyKind.COLLAPSE and _NEAR_MISS_ONLY.search(before)):
        return False
    if _HYPOTHETICAL.search(before) or _EXAGGERATION.search(before):
        return False
    window = text[max(0, start - 3):match.end() + 3]
    return _FIGURATIVE.search(window) is None


def _someone_before(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start]
    return _PERSON_RE.search(before) is not None or before.rstrip().endswith(("我", "我们", "自己"))


def _person_in_distress(text: str) -> bool:
    for match in _PERSON_STATE.finditer(text):
        before = text[max(0, match.start() - 14):match.start()]
        ends = list(_SENTENCE_END.finditer(before))
        if ends:
            before = before[ends[-1].end():]
        if match.group(0) in ("不行了", "快不行") and text[match.start() - 1:match.start()] == "得":
            continue  # 冻得不行了 is an intensifier, not a collapse
        if _PERSON_RE.search(before) and _counts(text, match):
            return True
    return False


def _called_off(text: str, kind: EmergencyKind, start: int) -> bool:
    """"还好没砸到人 上面还有一大块悬着": relief said before the danger does not end it,
    and people getting out (人已经跑出来了) does not end a gas leak or a fire."""
    for found in _CALL_OFF.finditer(text):
        if found.end() < start and not _PAST_EVENT.search(found.group(0)):
            continue
        if kind in _HAZARDS and _PEOPLE_SAFE.fullmatch(found.group(0)):
            continue
        return True
    return False


@lru_cache(maxsize=64)
def emergency_kind(text: str) -> EmergencyKind | None:
    """Cached: the rule reader and the model's rule cues ask it of the same text."""
    if HOW_TO.search(text) and not _ALARM.search(text):
        return None
    for kind, pattern in EMERGENCY_CUES:
        for match in pattern.finditer(text):
            if _called_off(text, kind, match.start()) or not _counts(text, match, kind):
                continue
            if kind is EmergencyKind.FIRE and "报警器" in text and _ALARM_BATTERY.search(text):
                continue
            if kind is EmergencyKind.FALL and _NON_EMERGENCY_FALL.search(text):
                continue
            if kind is EmergencyKind.FIRE and _SMOKER.search(text) and not _CAUGHT.search(text) and (
                    match.group(0) in _WEAK_SMOKE or ("烟" in match.group(0) and "火" not in match.group(0))):
                continue
            if kind is EmergencyKind.GAS and match.group(0) == "漏气" and _NOT_GAS.search(text):
                continue
            if pattern is _CRIES and len(text) > 8 and not _CRY_FOR_HELP.search(text):
                continue
            if pattern is SHUT_IN and not _someone_before(text, match.start()):
                continue
            return kind
        if kind is EmergencyKind.FALL and _person_in_distress(text) and not _NON_EMERGENCY_FALL.search(text) \
                and not _CALL_OFF.search(text):
            return kind
    if life_support_outage(text) and not _CALL_OFF.search(text):
        return EmergencyKind.OTHER
    return None


_WEATHER_ONLY = frozenset({"冷得", "冻得", "冻死", "太冷了"})
_PARTLY_WARM = re.compile(r"[上下]面热|一半热|半截热|有的热")
_INDOORS = re.compile(r"家|屋|室|房间|暖气|供暖|孩子|老人")


@lru_cache(maxsize=64)
def is_urgent(text: str) -> bool:
    """Cached: the parser asks this of the same text several times."""
    for match in URGENT_CUES.finditer(text):
        if match.group(0) in _WEATHER_ONLY and not _INDOORS.search(text):
            continue  # 这天儿太冷了 is weather talk, not a cold home
        if match.group(0).startswith("暖气") and _PARTLY_WARM.search(text):
            continue  # 上面冷下面热: air in the radiator, an ordinary fix
        if _counts(text, match):
            return True
    return False
