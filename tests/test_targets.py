"""Quantified targets (kg.read.targets): golden sentences from the sources, coverage, properties.

The golden sentences are copied verbatim from the 2021 task table (004, parsed task
texts) and the 2024 work report (002, raw text); ``test_golden_sentences_are_verbatim``
checks that each one is in its source.  Each expects every number of the sentence: the
targets in order with every field, then the numbers that are not targets.
"""

from __future__ import annotations

import doctest
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.read.targets
from kg.resources import default_source
from kg.read.targets import REASONS, Coverage, Number, Target, coverage, extract, measure_key


def T(measure, value, unit, comparator, kind, minimum, maximum, approximate, text):
    """An expected target; its offsets are checked against the sentence separately."""
    return ("T", measure, value, unit, comparator, kind, minimum, maximum, approximate, text)


def N(text, reason):
    """An expected number that is not a target."""
    return ("N", text, reason)


CASES = [
    ('004', '大力培育高新技术企业，认定国家高新技术企业100家以上，确保总数突破300家。', [
        T('认定国家高新技术企业', 100.0, '家', '以上', 'count', 100.0, None, False, '认定国家高新技术企业100家以上'),
        T('总数', 300.0, '家', '突破', 'level', 300.0, None, False, '总数突破300家'),
    ]),
    ('004', '落实科技创新优惠政策，推动规上企业研发投入、研发机构、发明专利“三个覆盖”，规上企业研发活动覆盖率达20%，带动全社会研发投入增长20%以上。', [
        T('规上企业研发活动覆盖率', 20.0, '%', '达', 'level', 20.0, None, False, '规上企业研发活动覆盖率达20%'),
        T('全社会研发投入', 20.0, '%', '增长…以上', 'growth', 20.0, None, False, '全社会研发投入增长20%以上'),
        N('三个', 'count-in-name'),
    ]),
    ('004', '支持龙头企业联合高校、科研机构组建创新联合体，新增企业新型研发机构5家以上。', [
        T('企业新型研发机构', 5.0, '家', '新增…以上', 'count', 5.0, None, False, '新增企业新型研发机构5家以上'),
    ]),
    ('004', '加速“一廊两区”落子布点，推进10个国家双创示范基地项目建设，开建国科大智能制造学院、福大科教园二期。', [
        T('国家双创示范基地项目建设', 10.0, '个', None, 'count', None, None, False, '10个国家双创示范基地项目建设'),
        N('二期', 'ordinal'),
    ]),
    ('004', '深化成果转化“百城百园”行动计划，加强职业技术经纪人培育，推动100项研发成果落地，认定登记技术合同1亿元以上，吸纳技术合同3亿元以上。', [
        T('研发成果落地', 100.0, '项', None, 'count', None, None, False, '100项研发成果落地'),
        T('认定登记技术合同', 1.0, '亿元', '以上', 'level', 1.0, None, False, '认定登记技术合同1亿元以上'),
        T('吸纳技术合同', 3.0, '亿元', '以上', 'level', 3.0, None, False, '吸纳技术合同3亿元以上'),
    ]),
    ('004', '设立高新产业发展投资、高层次创业人才等基金，推动泉州创新引导等7支科技基金高效运作。', [
        T('科技基金高效运作', 7.0, '支', None, 'count', None, None, False, '7支科技基金高效运作'),
    ]),
    ('004', '深耕“六个一”人才服务体系，实施在外晋江籍人才“灯塔工程”，把企业人才自主评价试点范围扩大到科研平台和高新技术企业，新增各类高层次人才600人，选树优秀工匠1500名。', [
        T('各类高层次人才', 600.0, '人', '新增', 'count', None, None, False, '新增各类高层次人才600人'),
        T('优秀工匠', 1500.0, '名', None, 'count', None, None, False, '优秀工匠1500名'),
        N('六个', 'count-in-name'),
    ]),
    ('004', '连片推进老旧工业园区改造2000亩以上，打造微工业园8个以上。', [
        T('老旧工业园区改造', 2000.0, '亩', '以上', 'level', 2000.0, None, False, '老旧工业园区改造2000亩以上'),
        T('微工业园', 8.0, '个', '以上', 'count', 8.0, None, False, '微工业园8个以上'),
    ]),
    ('004', '深化“放管服”改革，推行“一件事”套餐办理，拓展不见面服务，工程建设项目审批时限压缩到60个工作日，在二手房交易登记、企业开办、中介规范管理等方面要有大的突破，最大限度减环节、减证明、减时间。', [
        T('工程建设项目审批时限', 60.0, '个工作日', '压缩到', 'level', None, 60.0, False, '工程建设项目审批时限压缩到60个工作日'),
    ]),
    ('004', '落实减税降费、中小微企业贷款延期还本付息，推动产业信贷投放“增户扩面”，新增各类贷款200亿元，中小微企业贷款占比超45%。', [
        T('各类贷款', 200.0, '亿元', '新增', 'level', None, None, False, '新增各类贷款200亿元'),
        T('中小微企业贷款占比', 45.0, '%', '超', 'level', 45.0, None, False, '中小微企业贷款占比超45%'),
    ]),
    ('004', '持续有力防范化解金融风险，不良贷款率控制在2%以内。', [
        T('不良贷款率', 2.0, '%', '控制在…以内', 'level', None, 2.0, False, '不良贷款率控制在2%以内'),
    ]),
    ('004', '搭建国有投资运营平台，大力推动国有企业深度参与城市建设、产业园区开发、战略性新兴产业培育、现代服务业集聚区建设，成为重要的投资主体和经营实体，力争新增3A级企业1家。', [
        T('新增3A级企业', 1.0, '家', None, 'count', None, None, False, '新增3A级企业1家'),
        N('3', 'code'),
    ]),
    ('004', '攻坚推进15项集成改革任务。', [
        T('集成改革任务', 15.0, '项', None, 'count', None, None, False, '15项集成改革任务'),
    ]),
    ('004', '补齐产业缺失环节。聚焦材料端、装备端两个产业链短板，实施76个强链补链项目，开工建设中纺院绿纤、百宏薄膜化纤、华宝鞋业自动化成型等40个重点项目，构建稳定自主可控的产业链供应链生态圈。', [
        T('强链补链项目', 76.0, '个', None, 'count', None, None, False, '76个强链补链项目'),
        T('重点项目', 40.0, '个', None, 'count', None, None, False, '40个重点项目'),
        N('两个', 'enumeration'),
    ]),
    ('004', '实施重点技改项目200个以上，完成投资140亿元以上。', [
        T('重点技改项目', 200.0, '个', '以上', 'count', 200.0, None, False, '重点技改项目200个以上'),
        T('投资', 140.0, '亿元', '完成…以上', 'level', 140.0, None, False, '完成投资140亿元以上'),
    ]),
    ('004', '攻坚六大“两新”基地建设，推动新兴产业建链齐链，力争签约项目50个、开工30个、投产40个，总投资超500亿元。', [
        T('签约项目', 50.0, '个', None, 'count', None, None, False, '签约项目50个'),
        T('开工', 30.0, '个', None, 'count', None, None, False, '开工30个'),
        T('投产', 40.0, '个', None, 'count', None, None, False, '投产40个'),
        T('总投资', 500.0, '亿元', '超', 'level', 500.0, None, False, '总投资超500亿元'),
        N('六', 'count-in-name'),
    ]),
    ('004', '实施120个服务业重点项目，完成投资180亿元以上，新增限上商贸企业170家以上，限上批发零售业销售额增长16%以上。', [
        T('服务业重点项目', 120.0, '个', None, 'count', None, None, False, '120个服务业重点项目'),
        T('投资', 180.0, '亿元', '完成…以上', 'level', 180.0, None, False, '完成投资180亿元以上'),
        T('限上商贸企业', 170.0, '家', '新增…以上', 'count', 170.0, None, False, '新增限上商贸企业170家以上'),
        T('限上批发零售业销售额', 16.0, '%', '增长…以上', 'growth', 16.0, None, False, '限上批发零售业销售额增长16%以上'),
    ]),
    ('004', '大力发展工业旅游、滨海旅游、文化旅游，创建3个3A级旅游景区，争创国家全域旅游示范区。', [
        T('3A级旅游景区', 3.0, '个', None, 'count', None, None, False, '3个3A级旅游景区'),
        N('3', 'code'),
    ]),
    ('004', '大力招引金融后台服务机构，创设股权运营中心，推动各类VC、PE机构集聚金融广场，晋金私募汇规模超70亿元，金融业增加值增长9%以上。', [
        T('晋金私募汇规模', 70.0, '亿元', '超', 'level', 70.0, None, False, '晋金私募汇规模超70亿元'),
        T('金融业增加值', 9.0, '%', '增长…以上', 'growth', 9.0, None, False, '金融业增加值增长9%以上'),
    ]),
    ('004', '实施重点项目800个，完成年度投资835亿元，新增开工80个、建成90个。', [
        T('重点项目', 800.0, '个', None, 'count', None, None, False, '重点项目800个'),
        T('年度投资', 835.0, '亿元', '完成', 'level', None, None, False, '完成年度投资835亿元'),
        T('开工', 80.0, '个', '新增', 'count', None, None, False, '新增开工80个'),
        T('建成', 90.0, '个', '新增', 'count', None, None, False, '建成90个'),
    ]),
    ('004', '引进高端商业综合体，带动打造二体新商圈，推动万达、宝龙、SM商圈向场景化、体验式转型，培育超50亿元大商圈2个，争创一批省级示范商圈。', [
        T('超50亿元大商圈', 2.0, '个', None, 'count', None, None, False, '超50亿元大商圈2个'),
        N('50亿元', 'qualifier'),
    ]),
    ('004', '建设直播基地5个、夜间经济示范区3个、特色商业街2条。', [
        T('直播基地', 5.0, '个', None, 'count', None, None, False, '直播基地5个'),
        T('夜间经济示范区', 3.0, '个', None, 'count', None, None, False, '夜间经济示范区3个'),
        T('特色商业街', 2.0, '条', None, 'count', None, None, False, '特色商业街2条'),
    ]),
    ('004', '发挥综保区、陆地港功能优势，做大阿里Lazada分拨中心，力争国际及港澳快递业务量增长50%。', [
        T('国际及港澳快递业务量', 50.0, '%', '增长', 'growth', None, None, False, '国际及港澳快递业务量增长50%'),
    ]),
    ('004', '新增5G基站1200个、社会治理神经元感知节点1850个，城管网格扩大到中心市区288平方公里。', [
        T('5G基站', 1200.0, '个', '新增', 'count', None, None, False, '新增5G基站1200个'),
        T('社会治理神经元感知节点', 1850.0, '个', '新增', 'count', None, None, False, '社会治理神经元感知节点1850个'),
        T('城管网格', 288.0, '平方公里', '扩大到', 'level', 288.0, None, False, '城管网格扩大到中心市区288平方公里'),
        N('5', 'code'),
    ]),
    ('004', '推进277个垃圾分类试点，布设3个餐厨和建筑垃圾处理站，投用50辆分类转运车，培育2家末端处理利用企业，健全垃圾分类“投收运处”全链条体系。', [
        T('垃圾分类试点', 277.0, '个', None, 'count', None, None, False, '277个垃圾分类试点'),
        T('餐厨和建筑垃圾处理站', 3.0, '个', None, 'count', None, None, False, '3个餐厨和建筑垃圾处理站'),
        T('分类转运车', 50.0, '辆', None, 'count', None, None, False, '50辆分类转运车'),
        T('末端处理利用企业', 2.0, '家', None, 'count', None, None, False, '2家末端处理利用企业'),
    ]),
    ('004', '编制历史文化名镇名村、传统村落保护规划，修缮文保单位15处、传统建筑10处，延续城市历史文脉。', [
        T('文保单位', 15.0, '处', None, 'count', None, None, False, '文保单位15处'),
        T('传统建筑', 10.0, '处', None, 'count', None, None, False, '传统建筑10处'),
    ]),
    ('004', '启用工人文化宫，加快艺术馆、美术展厅建设，建成20个镇级文化分馆，引导街头文化艺术有序发展，组织百场公益性精品文艺演出，推动优秀文化根植广阔基层。', [
        T('镇级文化分馆', 20.0, '个', None, 'count', None, None, False, '20个镇级文化分馆'),
        T('公益性精品文艺演出', 100.0, '场', None, 'count', None, None, False, '百场公益性精品文艺演出'),
    ]),
    ('004', '做强特色现代农业。新增“三品一标”和GAP认证农产品10个、省级以上“一村一品”示范村2个、高标准农田5900亩，新建农产品标准化示范基地4个。', [
        T('“三品一标”和GAP认证农产品', 10.0, '个', '新增', 'count', None, None, False, '新增“三品一标”和GAP认证农产品10个'),
        T('省级以上“一村一品”示范村', 2.0, '个', '新增', 'count', None, None, False, '省级以上“一村一品”示范村2个'),
        T('高标准农田', 5900.0, '亩', '新增', 'level', None, None, False, '高标准农田5900亩'),
        T('农产品标准化示范基地', 4.0, '个', None, 'count', None, None, False, '农产品标准化示范基地4个'),
    ]),
    ('004', '推广科技特派员制度，80%以上村庄建成益农信息社。', [
        T('村庄建成益农信息社', 80.0, '%', '以上', 'level', 80.0, None, False, '80%以上村庄建成益农信息社'),
    ]),
    ('004', '实施农村集体经济发展“双百”计划，推动30%以上村（社区）集体经营性收入达50万元以上。', [
        T('村（社区）集体经营性收入', 30.0, '%', '以上', 'level', 30.0, None, False, '30%以上村（社区）集体经营性收入'),
        T('村（社区）集体经营性收入', 50.0, '万元', '达…以上', 'level', 50.0, None, False, '村（社区）集体经营性收入达50万元以上'),
    ]),
    ('004', '启动农村人居环境整治提升五年行动，实施500个整治项目，综合治理40个村庄缆线，新改建农村公厕50座，整治农村裸房2000宗，改造老旧自来水管道10公里，打造50个富有绿化、绿韵、绿态、绿魂的绿盈乡村。', [
        T('整治项目', 500.0, '个', None, 'count', None, None, False, '500个整治项目'),
        T('村庄缆线', 40.0, '个', None, 'count', None, None, False, '40个村庄缆线'),
        T('农村公厕', 50.0, '座', None, 'count', None, None, False, '农村公厕50座'),
        T('农村裸房', 2000.0, '宗', None, 'count', None, None, False, '农村裸房2000宗'),
        T('老旧自来水管道', 10.0, '公里', None, 'level', None, None, False, '老旧自来水管道10公里'),
        T('富有绿化', 50.0, '个', None, 'count', None, None, False, '50个富有绿化'),
    ]),
    ('004', '实现农村生活污水管网村村全覆盖，接户率提升到85%以上。', [
        T('接户率', 85.0, '%', '提升到…以上', 'level', 85.0, None, False, '接户率提升到85%以上'),
    ]),
    ('004', '强化大气治理。实施20个大气减排治理项目，加强陶瓷行业污染整治，全面淘汰10蒸吨以下燃煤锅炉。', [
        T('大气减排治理项目', 20.0, '个', None, 'count', None, None, False, '20个大气减排治理项目'),
        N('10蒸吨以下', 'qualifier'),
    ]),
    ('004', '整治建筑工地扬尘，强化PM2.5与臭氧污染协同治理，分批推进皮革、印染等行业异味整治，空气质量优良率保持在97%以上。', [
        T('空气质量优良率', 97.0, '%', '保持在…以上', 'level', 97.0, None, False, '空气质量优良率保持在97%以上'),
        N('2.5', 'code'),
    ]),
    ('004', '深化“全民动员，绿化晋江”，围绕“300米见绿、500米见园”目标，实施34个绿化景观工程，植树造林5000亩以上，建成10个“串珠公园”“口袋公园”。', [
        T('绿化景观工程', 34.0, '个', None, 'count', None, None, False, '34个绿化景观工程'),
        T('植树造林', 5000.0, '亩', '以上', 'level', 5000.0, None, False, '植树造林5000亩以上'),
        T('“串珠公园”“口袋公园”', 10.0, '个', None, 'count', None, None, False, '10个“串珠公园”“口袋公园”'),
        N('300米', 'count-in-name'),
        N('500米', 'count-in-name'),
    ]),
    ('004', '办好22件为民实事、200件民生微实事，用心用力解决群众“急难愁盼”问题。', [
        T('为民实事', 22.0, '件', None, 'count', None, None, False, '22件为民实事'),
        T('民生微实事', 200.0, '件', None, 'count', None, None, False, '200件民生微实事'),
    ]),
    ('004', '提升就业保障。实施四大群体增收计划和四项收入提升行动，新增就业2万人以上，开展职业技能培训6000人次以上，技能劳动者比例提高到25%以上。', [
        T('就业', 2.0, '万人', '新增…以上', 'count', 2.0, None, False, '新增就业2万人以上'),
        T('职业技能培训', 6000.0, '人次', '以上', 'count', 6000.0, None, False, '职业技能培训6000人次以上'),
        T('技能劳动者比例', 25.0, '%', '提高到…以上', 'level', 25.0, None, False, '技能劳动者比例提高到25%以上'),
        N('四', 'count-in-name'),
        N('四项', 'count-in-name'),
    ]),
    ('004', '提升救助水平。深化全国社会救助综合改革试点，救助范围向低收入家庭等边缘困难群体延伸拓展，“四帮四扶”200户家庭。', [
        T('家庭', 200.0, '户', None, 'count', None, None, False, '200户家庭'),
    ]),
    ('004', '提升养老服务。健全“1+3+N”养老服务体系，打造4个区域性养老服务中心，新建5个村级敬老院、20个居家养老服务站，新增养老床位300张。', [
        T('区域性养老服务中心', 4.0, '个', None, 'count', None, None, False, '4个区域性养老服务中心'),
        T('村级敬老院', 5.0, '个', None, 'count', None, None, False, '5个村级敬老院'),
        T('居家养老服务站', 20.0, '个', None, 'count', None, None, False, '20个居家养老服务站'),
        T('养老床位', 300.0, '张', '新增', 'count', None, None, False, '新增养老床位300张'),
        N('1+3+N', 'ordinal-in-name'),
    ]),
    ('004', '新改建公办幼儿园10所，普惠性幼儿园覆盖率保持在85%以上。', [
        T('公办幼儿园', 10.0, '所', None, 'count', None, None, False, '公办幼儿园10所'),
        T('普惠性幼儿园覆盖率', 85.0, '%', '保持在…以上', 'level', 85.0, None, False, '普惠性幼儿园覆盖率保持在85%以上'),
    ]),
    ('004', '实施“1358”教师培养计划，持续改进师德师风。', [
        N('1358', 'ordinal-in-name'),
    ]),
    ('004', '建设市第二医院、晋南分院公共卫生应急诊疗项目，完善公共卫生应急体系。', [
        N('二', 'ordinal'),
    ]),
    ('004', '制定实施“八五”普法规划，善用法治思维、法治方式，深化改革、推动发展、化解矛盾、维护稳定。', [
        N('八五', 'ordinal-in-name'),
    ]),
    ('004', '加强党风廉政建设，落实中央八项规定精神，强化重点岗位、关键环节监管，构建“清”上加“亲”新型政商关系。', [
        N('八项', 'count-in-name'),
    ]),
    ('002', '经济社会发展主要预期目标是：地区生产总值增长 6%左右，一般公共预算总收入增长 3%、本级收入增长 3%，规上工业增加值增长 7.5%，全社会固定资产投资增长 7.5%，城乡居民人均可支配收入增长 6.5%。', [
        T('地区生产总值', 6.0, '%', '增长', 'growth', None, None, True, '地区生产总值增长 6%左右'),
        T('一般公共预算总收入', 3.0, '%', '增长', 'growth', None, None, False, '一般公共预算总收入增长 3%'),
        T('本级收入', 3.0, '%', '增长', 'growth', None, None, False, '本级收入增长 3%'),
        T('规上工业增加值', 7.5, '%', '增长', 'growth', None, None, False, '规上工业增加值增长 7.5%'),
        T('全社会固定资产投资', 7.5, '%', '增长', 'growth', None, None, False, '全社会固定资产投资增长 7.5%'),
        T('城乡居民人均可支配收入', 6.5, '%', '增长', 'growth', None, None, False, '城乡居民人均可支配收入增长 6.5%'),
    ]),
    ('002', '新增市场主体 5.6 万户、企业 1.5 万家，“四上”企业总数突破 5000 家。', [
        T('市场主体', 5.6, '万户', '新增', 'count', None, None, False, '新增市场主体 5.6 万户'),
        T('企业', 1.5, '万家', '新增', 'count', None, None, False, '企业 1.5 万家'),
        T('“四上”企业总数', 5000.0, '家', '突破', 'level', 5000.0, None, False, '“四上”企业总数突破 5000 家'),
    ]),
    ('002', '常态化开展扫黑除恶专项斗争，全省首创覆盖运输、快递、外卖等行业“平安哨兵”队伍，市镇村三级综治中心实现实体化运作，刑事案件下降 27.2%，电信网络诈骗案件下降 33.3%。', [
        T('刑事案件', 27.2, '%', '下降', 'growth', None, None, False, '刑事案件下降 27.2%'),
        T('电信网络诈骗案件', 33.3, '%', '下降', 'growth', None, None, False, '电信网络诈骗案件下降 33.3%'),
    ]),
    ('002', '开展安全生产治本攻坚三年行动，生产安全事故数、亡人数分别比降 20.8%、36.4%。', [
        N('20.8%', 'past-figure'),
        N('36.4%', 'past-figure'),
    ]),
    ('002', '举办“村跑”、“村BA”、国际马拉松、NEST等国家级以上赛事23项，开展全民健身活动超6000场次，体育城市指数位列全国县域第一，时尚、竞', [
        T('举办“村跑”、“村BA”、国际马拉松、NEST等国家级以上赛事', 23.0, '项', None, 'count', None, None, False, '举办“村跑”、“村BA”、国际马拉松、NEST等国家级以上赛事23项'),
        T('全民健身活动', 6000.0, '场次', '超', 'level', 6000.0, None, False, '全民健身活动超6000场次'),
        N('一', 'rank'),
    ]),
    ('002', '1、全力助企纾困解难。', [
        N('1', 'list-marker'),
    ]),
    ('002', '**深化“全市一区”改革，提升“管委会+公司”运作质效，打造三创园科创中心，建设国际产业加速器和产业运营服务中心，做强园区产业促进、产业服务、载体运营、新兴产业引育平台，加快推进高能粒子应用、中科丰阳 3D 打印等 13 个优质项目，全力争创国家级经济技术开发区。', [
        T('优质项目', 13.0, '个', None, 'count', None, None, False, '13 个优质项目'),
        N('3', 'code'),
    ]),
    ('002', '办好全国博士后创新创业大赛，新增认定各类高层次人才 500 名。', [
        T('认定各类高层次人才', 500.0, '名', '新增', 'count', None, None, False, '新增认定各类高层次人才 500 名'),
    ]),
    ('002', '大抓开放招商，推行“股权投资”“以投带引”等新模式，发挥政府性投资基金和“招商飞地”作用，新签约项目总投资1300亿元以上，引进超20亿元重大项目10个以上。', [
        T('项目总投资', 1300.0, '亿元', '以上', 'level', 1300.0, None, False, '项目总投资1300亿元以上'),
        T('超20亿元重大项目', 10.0, '个', '以上', 'count', 10.0, None, False, '超20亿元重大项目10个以上'),
        N('20亿元', 'qualifier'),
    ]),
    ('002', '推进公共就业服务下沉，新建家门口就业服务站点20个，新增城镇就业2.5万人。', [
        T('家门口就业服务站点', 20.0, '个', None, 'count', None, None, False, '家门口就业服务站点20个'),
        T('城镇就业', 2.5, '万人', '新增', 'count', None, None, False, '新增城镇就业2.5万人'),
    ]),
    ('002', '承办全国民营经济高质量发展大会，用好用足各级一揽子增量政策，助力企业抢订单、拓市场、扩投资，规上工业增加值、限上批零销售额、固定资产投资分别增长 10.5%、17%、10%。', [
        T('规上工业增加值', 10.5, '%', '增长', 'growth', None, None, False, '规上工业增加值、限上批零销售额、固定资产投资分别增长 10.5%'),
        T('限上批零销售额', 17.0, '%', '增长', 'growth', None, None, False, '限上批零销售额、固定资产投资分别增长 10.5%、17%'),
        T('固定资产投资', 10.0, '%', '增长', 'growth', None, None, False, '固定资产投资分别增长 10.5%、17%、10%'),
    ]),
    ('002', '实施19个医疗卫生项目，落地82家名医工作室，争创省级中西医结合特色区域医疗中心，扎实推进上海六院福建医院和敏院区运营筹备及国家区域医疗中心创建，力争县域内就诊率提升至78%以上，让人民群众更有“医”靠。', [
        T('医疗卫生项目', 19.0, '个', None, 'count', None, None, False, '19个医疗卫生项目'),
        T('名医工作室', 82.0, '家', None, 'count', None, None, False, '82家名医工作室'),
        T('县域内就诊率', 78.0, '%', '提升至…以上', 'level', 78.0, None, False, '县域内就诊率提升至78%以上'),
    ]),
    ('002', '推进30个大气精准治理减排项目，力争空气优良率保持99%以上。', [
        T('大气精准治理减排项目', 30.0, '个', None, 'count', None, None, False, '30个大气精准治理减排项目'),
        T('空气优良率', 99.0, '%', '保持…以上', 'level', 99.0, None, False, '空气优良率保持99%以上'),
    ]),
    ('002', '污水处理能力提升至53万吨/日，建成区重点黑臭水体消除率达100%，连续两年获省河湖长制工作正向激励。', [
        T('污水处理能力', 53.0, '万吨/日', '提升至', 'level', 53.0, None, False, '污水处理能力提升至53万吨/日'),
        T('建成区重点黑臭水体消除率', 100.0, '%', '达', 'level', 100.0, None, False, '建成区重点黑臭水体消除率达100%'),
    ]),
    ('002', '创设“大先生”公益基金，开办全省首个学前教育“台胞班”，新增中小学优质学位2.39万个，学前教育普及普惠率突破90%，高分通过义务教育优质均衡省级评估，高考特殊控制线上线率突破30%。', [
        T('中小学优质学位', 2.39, '万个', '新增', 'count', None, None, False, '新增中小学优质学位2.39万个'),
        T('学前教育普及普惠率', 90.0, '%', '突破', 'level', 90.0, None, False, '学前教育普及普惠率突破90%'),
        T('高考特殊控制线上线率', 30.0, '%', '突破', 'level', 30.0, None, False, '高考特殊控制线上线率突破30%'),
    ]),
    ('002', '严格落实意识形态工作责任制，主动公开政府信息 1.9 万条，市政府门户网站绩效首次进入全国县域前十。', [
        T('主动公开政府信息', 1.9, '万条', None, 'count', None, None, False, '主动公开政府信息 1.9 万条'),
        N('十', 'rank'),
    ]),
    ('002', '——2024年12月30日在晋江市第十八届人民代表大会第四次会议上', [
        N('2024年', 'year'),
        N('12', 'date'),
        N('30', 'date'),
        N('十八', 'ordinal'),
        N('四次', 'ordinal'),
    ]),
    ('002', '(二) 在培育新质生产力构建现代化产业体系上再出发。', [
        N('二', 'list-marker'),
    ]),
    ('002', '顺利完成农村乱占耕地建房专项整治，977 亩集体经营性用地完成入市交易。', [
        T('集体经营性用地完成入市交易', 977.0, '亩', None, 'level', None, None, False, '977 亩集体经营性用地完成入市交易'),
    ]),
    ('002', '**推进城市公共照明夜景管护服务，投运荆山二期等 5 个重点电网工程，新建改造 10 千伏线路 77 条。', [
        T('重点电网工程', 5.0, '个', None, 'count', None, None, False, '5 个重点电网工程'),
        T('10千伏线路', 77.0, '条', None, 'count', None, None, False, '10 千伏线路 77 条'),
        N('二期', 'ordinal'),
        N('10 千伏', 'qualifier'),
    ]),
    ('002', '举办首届科洽会，召开“绿色创造 向新求质”企业创新发展大会，承办全国循环经济与减污降碳大会，打造国家、省级绿色制造示范单位 65 家次、绿色产品 20 种，获批国家循环经济标准化试点项目、省首批碳达峰试点园区。', [
        T('国家、省级绿色制造示范单位', 65.0, '家次', None, 'count', None, None, False, '国家、省级绿色制造示范单位 65 家次'),
        T('绿色产品', 20.0, '种', None, 'count', None, None, False, '绿色产品 20 种'),
    ]),
    ('002', '2024年是中华人民共和国成立75周年，是实现“十四五”规划目标任务的关键一年。', [
        N('2024年', 'year'),
        N('75周年', 'ordinal'),
        N('十四五', 'ordinal-in-name'),
    ]),
    ('002', '开展学生体质健康“1061”提升行动，实施中小学学科高质量发展计划，推进普通高中多样化高质量发展。', [
        N('1061', 'ordinal-in-name'),
    ]),
    ('002', '(P1) “1+6”专项行动：“1”即以盘活利用低效用地试点为总牵引；“6”即以综合产业园区建设、城市品质提升、开放招商科技创新项目落地、数智转型、乡村振兴、文体旅融合发展6大行动为主抓手。', [
        N('1', 'list-marker'),
        N('1+6', 'ordinal-in-name'),
        N('1', 'ordinal-in-name'),
        N('6', 'ordinal-in-name'),
        N('6', 'count-in-name'),
    ]),
    ('002', '预计地区生产总值增长7%以上，站上3500亿元新台阶，一般公共预算总收入、城乡居民人均可支配收入分\n\n别增长 1.7%、5.5%，县域经济与社会综合发展实力位居全国第三，县域经济基本竞争力保持全国第四。', [
        T('地区生产总值', 7.0, '%', '增长…以上', 'growth', 7.0, None, False, '地区生产总值增长7%以上'),
        T('站上', 3500.0, '亿元', '站上', 'level', 3500.0, None, False, '站上3500亿元'),
        T('一般公共预算总收入', 1.7, '%', '增长', 'growth', None, None, False, '一般公共预算总收入、城乡居民人均可支配收入分\n\n别增长 1.7%'),
        T('城乡居民人均可支配收入', 5.5, '%', '增长', 'growth', None, None, False, '城乡居民人均可支配收入分\n\n别增长 1.7%、5.5%'),
        N('三', 'rank'),
        N('四', 'rank'),
    ]),
    ('002', '将超八成财力投向民生领域，实施民生项目153个，办成20件为民\n\n实事、182件民生微实事，群众幸福生活可感可及。', [
        T('财力投向民生领域', 8.0, '成', '超', 'level', 8.0, None, False, '超八成财力投向民生领域'),
        T('民生项目', 153.0, '个', None, 'count', None, None, False, '民生项目153个'),
        T('为民实事', 20.0, '件', None, 'count', None, None, False, '20件为民\n\n实事'),
        T('民生微实事', 182.0, '件', None, 'count', None, None, False, '182件民生微实事'),
    ]),
]


def _report_002() -> str:
    return (default_source().parent / "002_941dc8cd29ccd4b4.txt").read_text(encoding="utf-8")


def _got(sentence: str) -> list[tuple]:
    result = extract(sentence)
    got = [T(t.measure, t.value, t.unit, t.comparator, t.kind, t.minimum, t.maximum,
             t.approximate, t.text) for t in result.targets]
    got += [N(n.text, n.reason) for n in sorted(result.others + result.unresolved,
                                                 key=lambda n: n.start)]
    return got


@pytest.mark.parametrize("source, sentence, expected", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_golden(source, sentence, expected):
    assert _got(sentence) == expected


@pytest.mark.parametrize("source, sentence, expected", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_golden_offsets(source, sentence, expected):
    result = extract(sentence)
    for t in result.targets:
        assert sentence[t.start:t.end] == t.text
        assert t.start == sentence.index(t.text)
        assert t.start <= t.value_start < t.value_end <= t.end
        number = _ascii(sentence[t.value_start:t.value_end])
        if number[0].isdigit():
            assert float(re.match(r"[0-9.]+", number).group()) == t.value
    for n in result.others + result.unresolved:
        assert sentence[n.start:n.end] == n.text


def test_golden_sentences_are_verbatim(seed):
    tasks = [t.text for t in seed.tasks]
    report = _report_002()
    for source, sentence, _ in CASES:
        if source == "004":
            assert sentence in tasks, sentence
        else:
            assert sentence in report, sentence


def test_golden_cover_every_kind_reason_and_comparator():
    expected = [e for _, _, exp in CASES for e in exp]
    kinds = {e[5] for e in expected if e[0] == "T"}
    reasons = {e[2] for e in expected if e[0] == "N"}
    comparators = {w for e in expected if e[0] == "T" and e[4] for w in e[4].split("…")}
    units = {e[3] for e in expected if e[0] == "T"}
    assert kinds == {"level", "growth", "count"}
    assert reasons == set(REASONS)
    assert {"以上", "以内", "超", "达", "突破", "增长", "下降", "控制在", "保持在", "新增",
            "完成", "提升到", "提高到", "压缩到", "扩大到"} <= comparators
    assert {"家", "个", "亩", "亿元", "万元", "%", "人", "名", "公里", "平方公里", "座", "场",
            "所", "人次", "万户", "万人", "项", "条"} <= units
    assert len(CASES) >= 40


# Comparators, units and shapes that the two sources do not use.
@pytest.mark.parametrize("sentence, expected", [
    ("引进人才超过100人。", T("引进人才", 100.0, "人", "超过", "level", 100.0, None, False, "引进人才超过100人")),
    ("培训不少于50场。", T("培训", 50.0, "场", "不少于", "level", 50.0, None, False, "培训不少于50场")),
    ("覆盖率达到90%。", T("覆盖率", 90.0, "%", "达到", "level", 90.0, None, False, "覆盖率达到90%")),
    ("补助标准约3000元。", T("补助标准", 3000.0, "元", None, "level", None, None, True, "补助标准约3000元")),
    ("培育企业5-10家。", T("培育企业", 5.0, "家", None, "count", 5.0, 10.0, False, "培育企业5-10家")),
    ("总投资3000亿元。", T("总投资", 3000.0, "亿元", None, "level", None, None, False, "总投资3000亿元")),
    ("新增用户4.5万户。", T("用户", 4.5, "万户", "新增", "count", None, None, False, "新增用户4.5万户")),
    ("认定高新企业１２家。", T("认定高新企业", 12.0, "家", None, "count", None, None, False, "认定高新企业１２家")),
])
def test_synthetic_comparators_and_units(sentence, expected):
    assert _got(sentence)[0] == expected


def test_unresolved_is_honest():
    result = extract("编号为 42。")
    assert result.targets == () and result.others == ()
    assert result.unresolved == (Number("42", 4, 6, "unresolved"),)


def test_coverage_of_the_2021_table(seed, capsys):
    cov = coverage(t.text for t in seed.tasks)
    with capsys.disabled():
        print(f"\n004 coverage: {cov}")
    assert cov.numbers == cov.targets + cov.classified + cov.unresolved
    assert cov.numbers > 150 and cov.targets > 120
    assert cov.share >= 0.95


def test_coverage_of_the_2024_report(capsys):
    cov = coverage([_report_002()])
    with capsys.disabled():
        print(f"\n002 coverage: {cov}")
    assert cov.share >= 0.95


def test_coverage_of_nothing():
    assert coverage([]) == Coverage(0, 0, 0, 0, 1.0)
    assert coverage(["没有数字。"]) == Coverage(0, 0, 0, 0, 1.0)


@pytest.mark.parametrize("measure, key", [
    ("新增认定各类高层次人才", "高层次人才"),
    ("各类高层次人才", "高层次人才"),
    ("高层次人才", "高层次人才"),
    ("全社会研发投入", "研发投入"),
    ("认定国家高新技术企业", "国家高新技术企业"),
    ("“四上”企业", "四上企业"),
    ("新增", "新增"),
])
def test_measure_key(measure, key):
    assert measure_key(measure) == key


def test_measure_key_matches_across_years(seed):
    """The 2021 and 2025 talent targets share a key."""
    t2021 = next(t for task in seed.tasks for t in extract(task.text).targets
                 if "高层次人才" in t.measure and t.unit == "人")
    t2025 = next(t for t in extract(_report_002()).targets if t.measure.endswith("各类高层次人才"))
    assert measure_key(t2021.measure) == measure_key(t2025.measure) == "高层次人才"
    assert (t2021.value, t2025.value) == (600.0, 500.0)


def test_doctests():
    assert doctest.testmod(kg.read.targets).failed == 0


# Properties -------------------------------------------------------------------------

_CJK = "增长新增达到以上以内左右超突破控制在保持个家亩亿万元人名条项场所第年月日期届大“”、，。（）十百两三一"
_ALPHABET = st.sampled_from(list("0123456789０１２３４５６７８９ .%％-+AG\n") + list(_CJK))
_texts = st.one_of(st.text(max_size=60), st.text(alphabet=_ALPHABET, max_size=60))


def _ascii(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None
                   else c for c in text)


def _digit_runs(text: str) -> list[tuple[int, int]]:
    digits = "".join("0" if unicodedata.decimal(c, None) is not None else "x" for c in text)
    return [m.span() for m in re.finditer("0+", digits)]


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_no_exception_and_offsets_slice_back(text):
    result = extract(text)
    for t in result.targets:
        assert text[t.start:t.end] == t.text
        assert t.start <= t.value_start < t.value_end <= t.end
    for n in result.others + result.unresolved:
        assert text[n.start:n.end] == n.text
        assert n.reason in REASONS or n.reason == "unresolved"
    assert all(n.reason == "unresolved" for n in result.unresolved)


@settings(max_examples=300, deadline=None)
@given(_texts)
def test_every_digit_run_in_exactly_one_place(text):
    result = extract(text)
    spans = [(t.value_start, t.value_end) for t in result.targets]
    spans += [(n.start, n.end) for n in result.others + result.unresolved]
    for s, e in _digit_runs(text):
        assert sum(1 for a, b in spans if a <= s and e <= b) == 1, (text, s, e)


_FULL = str.maketrans("0123456789%", "０１２３４５６７８９％")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .%-") + list(_CJK)), max_size=50))
def test_full_width_digits_give_the_same_values(text):
    ascii_result, wide_result = extract(text), extract(text.translate(_FULL))
    def summary(r):
        return ([(t.value, t.minimum, t.maximum, t.unit, t.kind, t.start, t.end)
                 for t in r.targets],
                [(n.reason, n.start, n.end) for n in r.others + r.unresolved])
    assert summary(ascii_result) == summary(wide_result)


def test_targets_are_frozen():
    target = extract("新增养老床位300张。").targets[0]
    assert isinstance(target, Target)
    with pytest.raises(AttributeError):
        target.value = 1  # type: ignore[misc]
