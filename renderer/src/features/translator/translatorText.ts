import type { TranslatorId } from '../../../../shared/domain/translatorUrls';

/** What each approved translator is, in one sentence for the learner choosing. */
export const TRANSLATOR_WHAT: Record<TranslatorId, string> = {
  google: 'Google’s translator (translate.google.com): over 100 languages, text typed or pasted in.',
  youdao: 'NetEase Youdao (fanyi.youdao.com): strong for Chinese and English, with dictionary examples.',
  bing: 'Microsoft Translator in Bing (bing.com/translator): over 100 languages, text typed or pasted in.',
};
