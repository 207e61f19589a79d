"""Name and place tables plus transliteration engines for heldout.py.

Everything here was written for this generator (independent of the system under test).
Names are stored once, in Armenian script; every other spelling is derived by the
transliteration functions below, with hand-written overrides where the traditional
Russian or Western-Armenian form of a name is not what a letter-by-letter rule gives.
"""
import re
import unicodedata

# ---------------------------------------------------------------------------
# Surnames: armenian | weight | russian forms (first = usual one) | western/diaspora forms
# Weights are a rough rank-frequency skew (Armenia + Karabakh-typical names).
SURNAMES_RAW = """
Հովհաննիսյան|60|Оганесян;Ованесян;Оганнисян;Ованнисян|Hovhannessian;Ohanessian;Hovannisian
Հարությունյան|58|Арутюнян||
Սարգսյան|55|Саркисян;Саргсян|Sarkissian;Sarkisian
Գրիգորյան|55|Григорян|
Պետրոսյան|45|Петросян|
Խաչատրյան|45|Хачатрян;Хачатурян|Khatchadourian;Khachadourian
Հակոբյան|42|Акопян;Акобян|
Վարդանյան|40||
Կարապետյան|38||
Գևորգյան|36|Геворкян;Геворгян|
Մկրտչյան|34||Mgrdichian;Mkrtchian
Պողոսյան|32|Погосян;Погоссян|
Մանուկյան|30||Manoukian
Ղազարյան|30|Казарян;Газарян;Гхазарян|
Ավետիսյան|28||
Մարգարյան|26||Markarian
Առաքելյան|25||
Մարտիրոսյան|24||
Սահակյան|24|Саакян|
Բալայան|22||
Բաբայան|22||
Դանիելյան|20||
Բեգլարյան|18||
Ավանեսյան|16||
Մնացականյան|16||
Դավթյան|16||Tavitian
Ավագյան|15|Авакян;Авагян|Avakian
Ստեփանյան|15||
Գալստյան|15||
Համբարձումյան|14|Амбарцумян;Амбардзумян|
Բաղդասարյան|14||
Մելքոնյան|13||
Միքայելյան|13||
Ասատրյան|12||
Սիմոնյան|12||
Մխիթարյան|12||
Հայրապետյան|12||
Աղաջանյան|11||
Մովսիսյան|11|Мовсисян;Мовсесян|Movsessian
Ղահրամանյան|10|Каграманян;Гахраманян|
Միրզոյան|10||
Մուսայելյան|10||
Ասլանյան|9||
Օհանյան|9|Оганян|Ohanian
Առուշանյան|8||
Ուլուբաբյան|8||
Գաբրիելյան|8||Gabrielian
Աթայան|7||
Իսրայելյան|7||
Շահրամանյան|7||
Թովմասյան|7||
Ադամյան|8||
Այվազյան|8||Aivazian
Աբրահամյան|8|Абраамян;Абрамян|Abrahamian
Զաքարյան|7||
Հովսեփյան|7||
Ներսիսյան|7|Нерсисян;Нерсесян|Nersessian
Ալավերդյան|6||
Աղաբեկյան|6||
Դադայան|6||
Լալայան|6||
Մինասյան|7||
Եղիազարյան|6||
Թադևոսյան|6||
Մելիքյան|6||
Գասպարյան|7||
Ղուկասյան|7||
Բարսեղյան|6||
Աբգարյան|5||
Սաֆարյան|5||
Ղարիբյան|5||
Վանյան|5||
Ղուլյան|5||
Շահնազարյան|5||
Կիրակոսյան|6||
Ալեքսանյան|6||Alexanian
Սողոմոնյան|5||
Մուրադյան|6||
Արզումանյան|5||
Ծատուրյան|4||
Սաղաթելյան|4||
Ջհանգիրյան|3|Джангирян|
Հախվերդյան|4||
Չոբանյան|4||
Ոսկանյան|4||
Եսայան|4||
Օհանջանյան|4|Оганджанян|Ohanjanian
Ամիրխանյան|4||
Իշխանյան|4||
Կարամյան|4||
Սարիբեկյան|4||
Թամրազյան|3||
Մուշեղյան|3||
Ղարագյոզյան|3|Каракозян;Гарагезян|
Մամյան|3||
Տեր-Պետրոսյան|2||
Մելիքով|2||
Առաքելով|2||
Օհանով|1|Оганов|
Մելքումյան|3||
Դարբինյան|2||
Նալբանդյան|2||Nalbandian
Քեշիշյան|1.5||Keshishian
Ջուլհակյան|1||
Ոսկերչյան|1||
Բաբաջանյան|2||
Ավշարյան|1.5||
Ալոյան|1.5||
Բադալյան|2.5||
Բոյաջյան|1||Boyajian
Գալոյան|2||
Դալլաքյան|1.5||
Եգանյան|1||
Զոհրաբյան|1.5||
Թորոսյան|2||
Թումանյան|1.5||
Իսահակյան|1.5||
Լազարյան|1.5||
Խաչիկյան|2||
Ծառուկյան|1||
Կոստանդյան|1||
Հարոյան|1.5||
Մաթևոսյան|2||
Մադոյան|1||
Մանասյան|1.5||
Մեհրաբյան|1.5||
Նազարյան|2||
Շաքարյան|1||
Սուքիասյան|1.5||
Տոնոյան|1.5||
Փաշինյան|1||
Քոչարյան|1.5||
Օսիպյան|1||
Աղասյան|1.5||
Ամիրյան|1.5||
Անդրեասյան|1||
Բաղրամյան|1.5||
Բեկնազարյան|1||
Դեմիրճյան|1||
Թևոսյան|1||
Կարախանյան|1||
Հակոբջանյան|2|Акопджанян;Акобджанян|
Շիրինյան|1||
Սեդրակյան|1.5||
Սիրունյան|1||
Փիլոսյան|1||
Քալանթարյան|1||
Ղևոնդյան|1||
Վահանյան|1.5||
Նիկողոսյան|1.5||
Բարխուդարյան|1||
Սարդարյան|1.5||
Ավանեսով|1||
Մուրադով|1||
"""

# Given names: armenian | sex | weights for birth eras old(<1960),mid(1960-84),young(>=1985)
#   | russian forms | western forms | other informal latin forms | diminutives (Armenian) | f = foreign-origin
GIVEN_RAW = """
Դավիթ|M|2,6,10|Давид;Давит||David|Դավո|
Արմեն|M|3,9,3|||||Արմո|
Արամ|M|3,5,4|||||
Արթուր|M|1,7,6|||||Արթո|
Արսեն|M|1,5,6|||||
Գագիկ|M|2,8,1|||||Գագո|
Կարեն|M|1,8,4|||||Կարո|
Հայկ|M|1,3,9|Айк|Haig|||
Նարեկ|M|0,1,9|||||
Տիգրան|M|2,4,7|||||Տիգո|
Սամվել|M|3,6,2|||||Սամո|
Աշոտ|M|3,6,2|||||Աշո|
Վահե|M|1,4,5|Ваге;Ваэ||||
Վարդան|M|3,4,3|||||
Սերգեյ|M|6,3,0|||||Սերժ;Սերյոժա|f
Արտակ|M|1,5,3|||||
Գոռ|M|0,1,6|Гор||Gor||
Էդգար|M|0,2,5|||||f
Ռոբերտ|M|3,4,2|||||f
Վլադիմիր|M|7,3,0|||||Վովա;Վոլոդյա|f
Ալեքսան|M|4,3,1|||Aleksan;Alexan|Ալիկ|
Հովհաննես|M|4,4,3|Ованес;Оганес;Ованнес|Hovhannes;Ohannes|Ovanes;Hovannes;Oganes|Հովիկ;Վանիկ|
Հակոբ|M|4,3,2|Акоп;Акоб|Hagop|Hakop;Akop|Հակո|
Գրիգոր|M|4,4,3|Григор;Григорий||Grigori|Գրիշա;Գրիգո|
Սարգիս|M|4,4,3|Саркис;Саргис||Sarkis|Սաքո|
Խաչատուր|M|5,3,1||Khatchadour||Խաչիկ;Խաչո|
Մհեր|M|0,3,5|||||
Ռուբեն|M|3,4,2|||||
Սուրեն|M|3,4,1|||||
Արման|M|0,2,7|||||
Էրիկ|M|0,2,6|||||f
Լևոն|M|2,3,4|||||
Գևորգ|M|3,3,5|||Gevork|Գևո|
Արշակ|M|3,2,2|||||
Վազգեն|M|4,3,1|||||
Համլետ|M|4,2,0|Гамлет|Hamlet|||f
Յուրի|M|5,2,0|Юрий|Youri|Yuriy;Yura|Յուրա|f
Մանվել|M|3,3,2|||||
Ալբերտ|M|4,3,1|Альберт||||f
Նորայր|M|3,3,1|||Norair||
Ռաֆիկ|M|5,2,0|||||f
Սլավիկ|M|5,2,0|||||f
Կամո|M|3,2,1|||||
Էդուարդ|M|4,3,1||Edouard||Էդիկ;Էդո|f
Հրաչյա|M|3,3,1|Грачья;Грач|Hratch||Հրաչ|
Գարիկ|M|1,4,1|||||
Արայիկ|M|1,5,2|Араик;Арайик||Araik|Արո|
Մովսես|M|3,2,2|||||
Պետրոս|M|3,2,2|||||
Միքայել|M|2,2,4|Микаел;Михаил|Mikael|Mikael;Michael|Միշա|
Արտյոմ|M|0,1,5|Артём;Артем||Artem|
Սևակ|M|0,2,4|||||
Վրեժ|M|1,3,2|||Vrej||
Ժորա|M|4,2,0|||Jora||f
Վաչագան|M|2,3,2|||||
Մուշեղ|M|2,2,1|||||
Ավետ|M|2,2,1|||||
Ստեփան|M|4,2,2|||||Ստյոպա|
Հենրիկ|M|2,3,1|Генрих;Генрик|Henrik|Genrikh||f
Հարություն|M|4,3,2|Арутюн||Arutyun|Հարո|
Անահիտ|F|3,6,2|Анаит||Anait||
Անի|F|0,1,8|||||
Մարիամ|F|2,3,8|||Maria|Մարո;Մաշա|
Նարինե|F|0,7,2|||||
Լիլիթ|F|0,3,6|||||
Գայանե|F|2,6,2|||Gayaneh|Գայա|
Արմինե|F|0,4,4|||||
Սիրանուշ|F|5,2,1||Siranoush||Սիրո|
Հասմիկ|F|3,5,1|Асмик||Asmik||
Լուսինե|F|1,5,3|||Lusineh|Լյուսյա|
Ռուզաննա|F|2,4,1|||Ruzana||
Մարինե|F|1,7,1|||Marina||
Աննա|F|2,3,5|||||Անյա|f
Արփինե|F|0,2,5|||||
Նունե|F|1,5,2|||||
Սոնա|F|1,3,3|||||
Տաթևիկ|F|0,2,6|||||
Զարուհի|F|3,2,1|Заруи;Зарухи||Zarui||
Հռիփսիմե|F|4,2,1|Рипсиме||Ripsime|Ռիփսիկ|
Աստղիկ|F|2,3,3|||Astgik||
Գոհար|F|3,3,2|Гоар;Гохар||||
Նվարդ|F|4,2,0|||||
Սուսաննա|F|2,3,2|||Susana|Սուսո|f
Ալվարդ|F|4,2,0|||||
Շուշան|F|3,2,2|||||
Մարգարիտա|F|4,2,0|||||Ռիտա|f
Էմմա|F|4,2,1|||||f
Ռիմա|F|4,2,0|||||f
Ժաննա|F|3,3,0|||Zhana;Janna||f
Սվետլանա|F|5,3,0|||||Սվետա|f
Լաուրա|F|3,3,0|||||f
Սեդա|F|2,3,2|||||
Մանե|F|0,1,5|||||
Էլեն|F|0,1,5|||Elena||f
Լիանա|F|0,3,4|||||f
Կարինե|F|1,7,1|||Karina||
Վարդուհի|F|4,2,0|Вардуи||Vardui||
Թամարա|F|4,2,0|||||f
Ռոզա|F|5,1,0|||||f
Սաթենիկ|F|2,3,2|||||
Անժելա|F|1,4,0|Анжела||Angela||f
Էլմիրա|F|3,2,0|Эльмира||||f
Նազելի|F|0,2,4|||||
Հերմինե|F|1,3,2|Эрмине;Гермине||Ermine||
Եվա|F|0,1,4|||Eva||f
Էլինա|F|0,1,4|||||f
Մարիետա|F|2,3,0|Мариетта;Мариета||Marietta||f
Անուշ|F|3,3,3|||||
Նաիրա|F|1,4,1|||||
Սիլվա|F|3,3,0|Сильва||||f
Ալլա|F|3,2,0|||||f
Ինգա|F|1,3,1|||||f
Արեգ|M|0,1,3|||||
Ալեն|M|0,0.5,2|||||f
Գառնիկ|M|2,2,0.5|||||
Հրայր|M|1.5,1.5,0.5|||Hrair||
Ռազմիկ|M|1,2,0.5|||||
Ղուկաս|M|1,0.5,0.5|||||
Զոհրաբ|M|1,1,0.3|||||
Սուրիկ|M|1.5,1,0|||||
Արմենակ|M|1.5,0.5,0.2|||||
Սեյրան|M|1.5,1,0|||||
Շահեն|M|1,1,0.3|Шаген;Шаэн||||
Մամիկոն|M|1,0.7,0.3|||||
Գուրգեն|M|1.5,1,0.3|||||
Կարապետ|M|1.5,0.5,0.3|||||
Մկրտիչ|M|1.5,0.5,0.2|||||
Ներսես|M|1,0.7,0.5|||||
Ավագ|M|1,0.5,0.2|||||
Արշավիր|M|1,0.5,0.2|||||
Հովսեփ|M|1,0.5,0.3|Овсеп||Hovsep||
Արարատ|M|1,1,0.5|||||
Աղասի|M|1,0.5,0.2|||||
Ռոման|M|0.5,1,1|||||f
Նիկոլայ|M|1.5,0.7,0|||Nikolai||f
Ռուդիկ|M|1,1,0|||||f
Վիտալի|M|0.5,1,0.2|Виталий||Vitaliy||f
Շողիկ|F|1,0.7,0.3|||||
Հայկանուշ|F|1.5,0.5,0.2|||||
Գյուլնարա|F|1.5,0.7,0|Гюльнара;Гюлнара||||f
Արաքսյա|F|1.5,0.7,0.2|Араксия;Аракся||Araksia||
Թագուհի|F|1.5,0.5,0.2|Тагуи||Taguhi;Tagui||
Աիդա|F|1,1,0.3|||||f
Զարինե|F|0.2,1,1|||||
Սիրուն|F|1,0.5,0.2|||||
Ռայա|F|1.5,0.5,0|||||f
Լուիզա|F|1,1,0|||||f
Մելինե|F|0,0.5,1.5|||||
Մերի|F|1,1,0.3|||Mary||f
Նելլի|F|1,1,0|||Nelly||f
Ջուլիետա|F|0.7,1,0.2|Джульетта;Джулиета||Julieta;Juliet||f
Շողակաթ|F|0.7,0.3,0.2|||||
Հեղինե|F|0.2,0.7,0.7|||||
Արուսյակ|F|1.5,0.7,0.2|||||
Ալինա|F|0,0.3,1.5|||||f
Միլենա|F|0,0.2,1.5|||||f
Սյուզաննա|F|0.5,1,0.5|||Suzanna||f
Գալյա|F|1,0.5,0|||||f
"""

GEN_OVERRIDE = {  # Armenian genitive (patronymic) irregulars
    'Դավիթ': 'Դավթի', 'Սարգիս': 'Սարգսի', 'Խաչատուր': 'Խաչատրի',
}


def parse_tables():
    surnames = []
    for line in SURNAMES_RAW.strip().splitlines():
        a, w, ru, we = (line.split('|') + ['', '', ''])[:4]
        surnames.append({'hy': a, 'w': float(w), 'ru': [x for x in ru.split(';') if x],
                         'west': [x for x in we.split(';') if x]})
    given = []
    for line in GIVEN_RAW.strip().splitlines():
        parts = (line.split('|') + [''] * 8)[:8]
        a, sex, ws, ru, we, lat, dims, flag = parts
        given.append({'hy': a, 'sex': sex, 'w': [float(x) for x in ws.split(',')],
                      'ru': [x for x in ru.split(';') if x], 'west': [x for x in we.split(';') if x],
                      'lat': [x for x in lat.split(';') if x], 'dims': [x for x in dims.split(';') if x],
                      'foreign': flag == 'f'})
    return surnames, given


# ---------------------------------------------------------------------------
# Places: key | armenian | russian | latin variants | azerbaijani latin | azerbaijani-derived cyrillic
#         | region | kind (city/town/village) | home weight | shelter propensity (fled to airport)
PLACES_RAW = """
stepanakert|Ստեփանակերտ|Степанакерт|Stepanakert;Stepanakert city;Khankendi|Xankəndi|Ханкенди|-|city|40|0.01
martakert|Մարտակերտ|Мартакерт|Martakert|Ağdərə|Агдере|martakert|town|5|0.10
martuni|Մարտունի|Мартуни|Martuni|Xocavənd|Ходжавенд|martuni|town|5|0.05
askeran|Ասկերան|Аскеран|Askeran|Əsgəran|Аскеран|askeran|town|4|0.10
hadrut|Հադրութ|Гадрут|Hadrut|Hadrut|Гадрут|hadrut|town|0|0
shushi|Շուշի|Шуши;Шуша|Shushi;Shusha|Şuşa|Шуша|shushi|town|0|0
chartar|Ճարտար|Чартар|Chartar;Tchartar|Çartaz|Чартаз|martuni|village|2.0|0.30
karmir_shuka|Կարմիր Շուկա|Кармир Шука;Красный Базар|Karmir Shuka;Karmir Shouka|Qırmızı Bazar|Кырмызы Базар|martuni|village|1.2|0.35
machkalashen|Մաճկալաշեն|Мачкалашен|Machkalashen||Мачкалашен|martuni|village|0.6|0.35
gishi|Գիշի|Гиши|Gishi||Гиши|martuni|village|0.5|0.35
spitakashen|Սպիտակաշեն|Спитакашен|Spitakashen||Спитакашен|martuni|village|0.4|0.35
sos|Սոս|Сос|Sos||Сос|martuni|village|0.5|0.35
taghavard|Թաղավարդ|Тагавард|Taghavard;Tagavard||Тагавард|martuni|village|0.7|0.40
berdashen|Բերդաշեն|Бердашен|Berdashen||Бердашен|martuni|village|0.5|0.35
herher|Հերհեր|Герхер;Эрер|Herher||Герхер|martuni|village|0.4|0.35
nngi|Ննգի|Нинги;Ннги|Nngi;Ningi||Нинги|martuni|village|0.4|0.35
khramort|Խրամորթ|Храморт|Khramort;Khramord||Храморт|askeran|village|0.6|0.55
nakhichevanik|Նախիջևանիկ|Нахичеваник|Nakhijevanik;Nakhichevanik||Нахичеваник|askeran|village|0.7|0.50
aygestan|Այգեստան|Айгестан|Aygestan;Aigestan||Айгестан|askeran|village|0.6|0.45
khndzristan|Խնձրիստան|Хндзристан|Khndzristan||Хндзристан|askeran|village|0.5|0.45
badara|Բադարա|Бадара|Badara||Бадара|askeran|village|0.6|0.45
ivanyan|Իվանյան|Иванян|Ivanyan;Ivanian|Xocalı|Ходжалы|askeran|village|1.0|0.40
sarnaghbyur|Սառնաղբյուր|Сарнахбюр;Сарнагбюр|Sarnaghbyur;Sarnakhbyur||Сарнахбюр|askeran|village|0.5|0.65
berkadzor|Բերքաձոր|Беркадзор|Berkadzor||Беркадзор|askeran|village|0.5|0.30
chankatagh|Ճանկաթաղ|Чанкатах;Чанкатаг|Chankatagh;Chankatag||Чанкатаг|martakert|village|0.6|0.70
vank|Վանք|Ванк|Vank|Vəngli|Венгли|martakert|village|0.8|0.60
drmbon|Դրմբոն|Дрмбон|Drmbon|Heyvalı|Гейвалы|martakert|village|0.6|0.60
haterk|Հաթերք|Атерк;Гатерк|Haterk||Атерк|martakert|village|0.6|0.60
vaghuhas|Վաղուհաս|Вагуас|Vaghuhas;Vaguhas||Вагуас|martakert|village|0.4|0.60
mataghis|Մատաղիս|Матагис|Mataghis;Madaghis|Suqovuşan|Суговушан|martakert|village|0.5|0.65
maghavuz|Մաղավուզ|Магавуз|Maghavuz||Магавуз|martakert|village|0.4|0.60
kichan|Քիչան|Кичан|Kichan||Кичан|martakert|village|0.4|0.60
getavan|Գետավան|Гетаван|Getavan||Гетаван|martakert|village|0.4|0.60
mets_shen|Մեծ Շեն|Мец Шен|Mets Shen;Metz Shen||Мец Шен|shushi|village|0.4|0.80
hin_shen|Հին Շեն|Ин Шен;Гин Шен|Hin Shen||Ин Шен|shushi|village|0.3|0.80
yeghtsahogh|Եղծահող|Егцаох;Егцаог|Yeghtsahogh||Егцаох|shushi|village|0.3|0.80
"""

REGIONS = {  # key: (armenian genitive + 'շրջան', russian adjective, latin, azerbaijani rayon)
    'martakert': ('Մարտակերտի շրջան', 'Мартакертский р-н', 'Martakert region', 'Ağdərə rayonu'),
    'martuni': ('Մարտունու շրջան', 'Мартунинский р-н', 'Martuni region', 'Xocavənd rayonu'),
    'askeran': ('Ասկերանի շրջան', 'Аскеранский р-н', 'Askeran region', 'Xocalı rayonu'),
    'shushi': ('Շուշիի շրջան', 'Шушинский р-н', 'Shushi region', 'Şuşa rayonu'),
    'hadrut': ('Հադրութի շրջան', 'Гадрутский р-н', 'Hadrut region', 'Xocavənd rayonu'),
}


def parse_places():
    places = {}
    for line in PLACES_RAW.strip().splitlines():
        k, hy, ru, lat, az, azc, reg, kind, w, sp = line.split('|')
        places[k] = {'key': k, 'hy': hy, 'ru': ru.split(';'), 'lat': lat.split(';'), 'az': az or None,
                     'azc': azc, 'region': None if reg == '-' else reg, 'kind': kind,
                     'w': float(w), 'shelter': float(sp)}
    return places


# ---------------------------------------------------------------------------
# Transliteration
VOW = {'ա', 'ե', 'է', 'ը', 'ի', 'ո', 'օ', 'ու', 'և'}


def arm_tokens(word):
    out, i = [], 0
    while i < len(word):
        c = word[i]
        if c == 'ո' and i + 1 < len(word) and word[i + 1] == 'ւ':
            out.append('ու')
            i += 2
            continue
        out.append(c)
        i += 1
    return out


SPLIT = re.compile(r'([\s\-\.]+)')


def _per_word(s, fn):
    parts = SPLIT.split(s)
    out = []
    for part in parts:
        if not part or SPLIT.fullmatch(part):
            out.append(part)
        else:
            out.append(fn(part))
    return ''.join(out)


def _cap(w):
    return w[:1].upper() + w[1:] if w else w


EAST = {'ա': 'a', 'բ': 'b', 'գ': 'g', 'դ': 'd', 'զ': 'z', 'է': 'e', 'ը': 'y', 'թ': 't', 'ժ': 'zh',
        'ի': 'i', 'լ': 'l', 'խ': 'kh', 'ծ': 'ts', 'կ': 'k', 'հ': 'h', 'ձ': 'dz', 'ղ': 'gh', 'ճ': 'ch',
        'մ': 'm', 'յ': 'y', 'ն': 'n', 'շ': 'sh', 'չ': 'ch', 'պ': 'p', 'ջ': 'j', 'ռ': 'r', 'ս': 's',
        'վ': 'v', 'տ': 't', 'ր': 'r', 'ց': 'ts', 'ու': 'u', 'փ': 'p', 'ք': 'k', 'օ': 'o', 'ֆ': 'f',
        'ւ': 'v'}
BGN_EXTRA = {'թ': 'tʼ', 'փ': 'pʼ', 'ք': 'kʼ', 'չ': 'chʼ', 'ց': 'tsʼ', 'ռ': 'rr'}
ISO = {'ա': 'a', 'բ': 'b', 'գ': 'g', 'դ': 'd', 'ե': 'e', 'զ': 'z', 'է': 'ē', 'ը': 'ë', 'թ': 'tʻ',
       'ժ': 'ž', 'ի': 'i', 'լ': 'l', 'խ': 'x', 'ծ': 'c', 'կ': 'k', 'հ': 'h', 'ձ': 'j', 'ղ': 'ġ',
       'ճ': 'č̣', 'մ': 'm', 'յ': 'y', 'ն': 'n', 'շ': 'š', 'ո': 'o', 'չ': 'čʻ', 'պ': 'p', 'ջ': 'ǰ',
       'ռ': 'ṙ', 'ս': 's', 'վ': 'v', 'տ': 't', 'ր': 'r', 'ց': 'cʻ', 'ւ': 'w', 'ու': 'ow', 'փ': 'pʻ',
       'ք': 'kʻ', 'օ': 'ō', 'ֆ': 'f', 'և': 'ew'}
WEST = {'ա': 'a', 'բ': 'p', 'գ': 'k', 'դ': 't', 'զ': 'z', 'է': 'e', 'ը': 'e', 'թ': 't', 'ժ': 'zh',
        'ի': 'i', 'լ': 'l', 'խ': 'kh', 'ծ': 'dz', 'կ': 'g', 'հ': 'h', 'ձ': 'ts', 'ղ': 'gh', 'ճ': 'j',
        'մ': 'm', 'յ': 'y', 'ն': 'n', 'շ': 'sh', 'չ': 'ch', 'պ': 'b', 'ջ': 'ch', 'ռ': 'r', 'ս': 's',
        'վ': 'v', 'տ': 'd', 'ր': 'r', 'ց': 'ts', 'ու': 'ou', 'փ': 'p', 'ք': 'k', 'օ': 'o', 'ֆ': 'f',
        'ւ': 'v'}
WEST_FR = {'շ': 'ch', 'չ': 'tch', 'ջ': 'tch', 'ժ': 'j'}

# Record-level "typing style" for informal Latin: token -> list of (output, prob)
LAT_STYLE_CHOICES = {
    'ու': [('u', .88), ('ou', .10), ('oo', .02)],
    'յ': [('y', .93), ('i', .05), ('j', .02)],
    'ղ': [('gh', .84), ('g', .08), ('x', .05), ('kh', .03)],
    'խ': [('kh', .82), ('x', .15), ('h', .03)],
    'ց': [('ts', .85), ('c', .12), ('tz', .03)],
    'ծ': [('ts', .85), ('c', .12), ('tz', .03)],
    'ժ': [('zh', .80), ('j', .15), ('jh', .05)],
    'ջ': [('j', .95), ('dj', .05)],
    'չ': [('ch', .95), ('tch', .05)],
    'ճ': [('ch', .95), ('tch', .05)],
    'թ': [('t', .95), ('th', .05)],
    'փ': [('p', .96), ('ph', .04)],
    'ք': [('k', .92), ('q', .08)],
    'E0': [('ye', .65), ('e', .35)],
    'O0': [('vo', .7), ('o', .3)],
    'ռ': [('r', .93), ('rr', .07)],
    'ը': [('y', .5), ('e', .3), ('', .2)],
    'և': [('ev', .9), ('ew', .1)],
    'YAN': [('yan', .93), ('ian', .05), ('an', .02)],
    'հ': [('h', .97), ('', .03)],
}


def pick(rng, choices):
    r = rng.random()
    acc = 0.0
    for v, p in choices:
        acc += p
        if r < acc:
            return v
    return choices[-1][0]


def lat_style(rng):
    return {k: pick(rng, v) for k, v in LAT_STYLE_CHOICES.items()}


CANON_LAT_STYLE = {k: v[0][0] for k, v in LAT_STYLE_CHOICES.items()}


def _east_word(word, table, style=None, e_rule=True):
    toks = arm_tokens(word.lower())
    out = []
    n = len(toks)
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else None
        initial = i == 0
        if style and i == n - 3 and toks[i:] == ['յ', 'ա', 'ն'] and style.get('YAN', 'yan') != 'yan':
            out.append(style['YAN'])
            break
        if t == 'ե':
            if initial or (prev in VOW and prev != 'ի'):
                out.append(style['E0'] if style else 'ye')
            else:
                out.append('e')
        elif t == 'ո':
            out.append((style['O0'] if style else 'vo') if initial else 'o')
        elif t == 'և':
            ev = style['և'] if style else 'ev'
            out.append(('y' + ev) if initial else ev)
        elif style and t in style:
            out.append(style[t])
        elif t in table:
            out.append(table[t])
        else:
            out.append(t)
    return _cap(''.join(out))


def tr_pass(s):
    return _per_word(s, lambda w: _east_word(w, EAST)).upper()


def tr_lat(s, style=None):
    return _per_word(s, lambda w: _east_word(w, EAST, style or CANON_LAT_STYLE))


def tr_bgn(s):
    t = dict(EAST)
    t.update(BGN_EXTRA)
    return _per_word(s, lambda w: _east_word(w, t))


def _iso_word(w):
    toks = arm_tokens(w.lower())
    return _cap(''.join(ISO.get(t, t) for t in toks))


def tr_iso(s):
    return _per_word(s, _iso_word)


def ascii_fold(s, apostrophe=''):
    s = s.replace('ʻ', apostrophe).replace('ʼ', apostrophe)
    s = unicodedata.normalize('NFKD', s)
    return ''.join(c for c in s if not unicodedata.combining(c))


def _west_word(w, fr, foreign):
    if foreign:
        x = _east_word(w, EAST)
        return x.replace('u', 'ou') if fr else x
    toks = arm_tokens(w.lower())
    t = dict(WEST)
    if fr:
        t.update(WEST_FR)
    out = []
    n = len(toks)
    i = 0
    while i < n:
        tk = toks[i]
        initial = i == 0
        if tk == 'յ' and i + 1 < n and toks[i + 1] == 'ա' and i + 2 == n - 1 and toks[-1] == 'ն':
            out.append('ia')
            i += 2
            continue
        if tk == 'յ' and i + 1 < n and toks[i + 1] == 'ու':
            out.append('iou' if fr else 'iu')
            i += 2
            continue
        if tk == 'ե':
            out.append('ye' if initial else 'e')
        elif tk == 'ո':
            out.append('vo' if initial else 'o')
        elif tk == 'և':
            out.append('yev' if initial else 'ev')
        else:
            out.append(t.get(tk, tk))
        i += 1
    s = ''.join(out)
    if fr:
        s = re.sub(r'(?<=[aeiouy])s(?=[aeiouy])', 'ss', s)
    return _cap(s)


def tr_west(s, fr=False, foreign=False):
    return _per_word(s, lambda w: _west_word(w, fr, foreign))


def tr_hy_classical(s):
    """Crude classical-orthography rendering (diaspora writers): -յան -> -եան, -ություն -> -ութիւն."""
    s = re.sub('(?<=[աեէիոօ])յան(?=$|[\\s-])', 'յեան', s)
    s = re.sub('յան(?=$|[\\s-])', 'եան', s)
    s = s.replace('յուն', 'իւն').replace('ություն', 'ութիւն')
    s = re.sub('^Հով', 'Յով', s)
    return s


RU = {'ա': 'а', 'բ': 'б', 'գ': 'г', 'դ': 'д', 'զ': 'з', 'է': 'э', 'ը': 'ы', 'թ': 'т', 'ժ': 'ж',
      'ի': 'и', 'լ': 'л', 'խ': 'х', 'ծ': 'ц', 'կ': 'к', 'ձ': 'дз', 'ղ': 'г', 'ճ': 'ч', 'մ': 'м',
      'ն': 'н', 'շ': 'ш', 'չ': 'ч', 'պ': 'п', 'ջ': 'дж', 'ռ': 'р', 'ս': 'с', 'վ': 'в', 'տ': 'т',
      'ր': 'р', 'ց': 'ц', 'ու': 'у', 'փ': 'п', 'ք': 'к', 'օ': 'о', 'ֆ': 'ф', 'ւ': 'в', 'ե': 'е'}


def _ru_word(w):
    toks = arm_tokens(w.lower())
    out = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < n else None
        if t == 'յ' and nxt in ('ա', 'ու', 'ո', 'ե'):
            out.append({'ա': 'я', 'ու': 'ю', 'ո': 'ё', 'ե': 'е'}[nxt])
            i += 2
            continue
        if t == 'յ':
            out.append('й')
        elif t == 'հ':
            if i == 0:
                out.append('' if nxt in VOW else 'г')
            elif prev in VOW and (nxt in VOW or nxt is None):
                out.append('')
            else:
                out.append('г')
        elif t == 'ո':
            out.append('во' if i == 0 else 'о')
        elif t == 'և':
            out.append('ев')
        elif t == 'է':
            out.append('э' if i == 0 else 'е')
        else:
            out.append(RU.get(t, t))
        i += 1
    return _cap(''.join(out))


def tr_ru_rule(s):
    return _per_word(s, _ru_word)


RULAT = {'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ё': 'yo', 'ж': 'zh', 'з': 'z',
         'и': 'i', 'й': 'y', 'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r',
         'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh',
         'щ': 'shch', 'ъ': '', 'ы': 'y', 'ь': '', 'э': 'e', 'ю': 'yu', 'я': 'ya'}
RUVOW = set('аеёиоуыэюяьъ')
RULAT_VARIANTS = {
    'bgn': ({}, 'ye'),
    'icao': ({'й': 'i', 'я': 'ia', 'ю': 'iu', 'ё': 'e', 'ь': ''}, 'e'),
    'de': ({'в': 'w', 'ж': 'sch', 'з': 's', 'й': 'j', 'х': 'ch', 'ц': 'z', 'ч': 'tsch', 'ш': 'sch',
            'щ': 'schtsch', 'ю': 'ju', 'я': 'ja', 'ё': 'jo', 'дж': 'dsch'}, 'je'),
    'fr': ({'у': 'ou', 'ш': 'ch', 'ч': 'tch', 'ж': 'j', 'дж': 'dj', 'й': 'ï', 'я': 'ia', 'ю': 'iou',
            'х': 'kh', 'ё': 'io'}, 'e'),
    'az': ({'г': 'q', 'х': 'x', 'ч': 'ç', 'ш': 'ş', 'ж': 'j', 'дж': 'c', 'ц': 'ts', 'ы': 'ı',
            'щ': 'şç', 'ё': 'yo'}, 'ye'),
}


def _rulat_word(w, variant):
    extra, e0 = RULAT_VARIANTS[variant]
    t = dict(RULAT)
    t.update(extra)
    s = w.lower()
    out = []
    i = 0
    while i < len(s):
        c = s[i]
        if s[i:i + 2] == 'дж' and 'дж' in t:
            out.append(t['дж'])
            i += 2
            continue
        if c == 'е' and (i == 0 or s[i - 1] in RUVOW):
            out.append(e0)
        elif c == 'с' and variant in ('de', 'fr') and 0 < i < len(s) - 1 and s[i - 1] in RUVOW and s[i + 1] in RUVOW:
            out.append('ss')
        else:
            out.append(t.get(c, c))
        i += 1
    return _cap(''.join(out))


def tr_rulat(s, variant='bgn'):
    return _per_word(s, lambda w: _rulat_word(w, variant))


def arm_genitive(name):
    if name in GEN_OVERRIDE:
        return GEN_OVERRIDE[name]
    if name[-1] in 'աո':
        return name + 'յի'
    return name + 'ի'


def ru_patronymic(ru_name, sex):
    if ru_name.endswith('ий'):
        stem, m, f = ru_name[:-2], 'ьевич', 'ьевна'
    elif ru_name.endswith('й'):
        stem, m, f = ru_name[:-1], 'евич', 'евна'
    elif ru_name[-1] in 'ая':
        stem = ru_name[:-1]
        m, f = ('ович', 'овна') if ru_name[-1] == 'а' else ('евич', 'евна')
    elif ru_name[-1] in 'еоиэ':
        stem, m, f = ru_name, 'евич', 'евна'
    else:
        stem, m, f = ru_name, 'ович', 'овна'
    return stem + (m if sex == 'M' else f)


# Confusion pairs for typos
HY_CONF = [('ե', 'է'), ('ր', 'ռ'), ('տ', 'թ'), ('պ', 'փ'), ('կ', 'ք'), ('ց', 'ծ'), ('չ', 'ճ'),
           ('ղ', 'խ'), ('ո', 'օ'), ('ի', 'ը'), ('դ', 'թ'), ('գ', 'կ')]
RU_CONF = [('е', 'э'), ('и', 'ы'), ('а', 'о'), ('с', 'з'), ('т', 'д'), ('к', 'г'), ('е', 'и'), ('н', 'м')]
LA_CONF = [('a', 'e'), ('e', 'i'), ('o', 'u'), ('i', 'y'), ('s', 'z'), ('k', 'g'), ('t', 'd'),
           ('n', 'm'), ('a', 'o'), ('r', 'l')]


def script_of(s):
    for c in s:
        o = ord(c)
        if 0x531 <= o <= 0x58F:
            return 'hy'
        if 0x400 <= o <= 0x4FF:
            return 'ru'
    return 'la'


def typo(s, rng):
    """One keyboard/ear slip: drop, double, swap adjacent, or a script-specific confusion."""
    idx = [i for i, c in enumerate(s) if c.isalpha() and i > 0 and s[i - 1].isalpha()]
    if not idx:
        return s
    i = rng.choice(idx)
    op = rng.random()
    if op < 0.28:
        return s[:i] + s[i + 1:]
    if op < 0.48:
        return s[:i] + s[i] + s[i:]
    if op < 0.66 and i + 1 < len(s) and s[i + 1].isalpha():
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    conf = {'hy': HY_CONF, 'ru': RU_CONF, 'la': LA_CONF}[script_of(s)]
    c = s[i]
    low = c.lower()
    opts = [b for a, b in conf if a == low] + [a for a, b in conf if b == low]
    if not opts:
        return s[:i] + s[i + 1:]
    r = rng.choice(opts)
    if c.isupper():
        r = r.upper()
    return s[:i] + r + s[i + 1:]


# Latin look-alikes that leak into Cyrillic when typists switch layouts
HOMOGLYPH_RU_LA = {'А': 'A', 'а': 'a', 'Е': 'E', 'е': 'e', 'О': 'O', 'о': 'o', 'С': 'C', 'с': 'c',
                   'Р': 'P', 'р': 'p', 'К': 'K', 'Т': 'T', 'М': 'M', 'Н': 'H', 'х': 'x'}


def homoglyph(s, rng):
    idx = [i for i, c in enumerate(s) if c in HOMOGLYPH_RU_LA]
    if not idx:
        return s
    i = rng.choice(idx)
    return s[:i] + HOMOGLYPH_RU_LA[s[i]] + s[i + 1:]
